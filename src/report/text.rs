//! How text and figures are written on the page: escaped for HTML (the templates' escaper,
//! [`Html`]), counts with thousands separated, shares as percentages.

use std::fmt::{self, Write};

/// The templates' escaper (`askama.toml`): `&`, `<`, `>`, `"` and `'` as entities.
#[derive(Debug, Clone, Copy)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        for c in text.chars() {
            match c {
                '&' => dest.write_str("&amp;")?,
                '<' => dest.write_str("&lt;")?,
                '>' => dest.write_str("&gt;")?,
                '"' => dest.write_str("&quot;")?,
                '\'' => dest.write_str("&#39;")?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// Text escaped for HTML, as the templates escape it.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    askama::filters::Escaper::write_escaped_str(&Html, &mut out, text)
        .expect("writing to a string");
    out
}

/// A share as a percentage with one decimal, `–` when nobody is counted.
pub fn percent(share: Option<f64>) -> String {
    crate::output::percent(share, "–")
}

/// A whole number with thousands separated by commas.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The mean of `total` over `weeks`.
pub fn mean(total: u64, weeks: usize) -> f64 {
    if weeks == 0 {
        0.0
    } else {
        total as f64 / weeks as f64
    }
}

/// The templates' filters: `count` and `percent`.
pub mod filters {
    /// [`super::count`].
    #[askama::filter_fn]
    pub fn count(n: &u64, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::count(*n))
    }

    /// [`super::percent`].
    #[askama::filter_fn]
    pub fn percent(share: &Option<f64>, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::percent(*share))
    }
}
