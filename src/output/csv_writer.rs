//! Every CSV output is written with [`CsvOutput`], which neutralises cells a spreadsheet would
//! run as formulas ([`csv_cell`], docs/planning-rules.md §7).

use std::borrow::Cow;

/// A cell of a CSV output. Text a spreadsheet would run as a formula — starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return — gets a leading `'` so that it shows as text
/// (docs/planning-rules.md §7); a number such as `-3` or `-0.25` is kept as it is.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A decimal number as resettle writes one: a sign, digits, and a fraction if any.
fn is_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

/// A CSV output being written in memory, every cell through [`csv_cell`].
pub struct CsvOutput(csv::Writer<Vec<u8>>);

impl CsvOutput {
    /// A file that starts with this header.
    pub fn new<H>(header: H) -> CsvOutput
    where
        H: IntoIterator,
        H::Item: AsRef<[u8]>,
    {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header).expect("writing to memory");
        CsvOutput(writer)
    }

    /// Adds a row.
    pub fn row<R>(&mut self, cells: R)
    where
        R: IntoIterator,
        R::Item: AsRef<str>,
    {
        for cell in cells {
            let cell = csv_cell(cell.as_ref());
            self.0
                .write_field(cell.as_bytes())
                .expect("writing to memory");
        }
        self.0
            .write_record(None::<&[u8]>)
            .expect("writing to memory");
    }

    /// The file's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner().expect("writing to memory")
    }
}

/// A CSV file's bytes: the header, then the rows (see [`CsvOutput`]).
pub fn csv_bytes<H, R>(header: H, rows: R) -> Vec<u8>
where
    H: IntoIterator,
    H::Item: AsRef<[u8]>,
    R: IntoIterator,
    R::Item: IntoIterator,
    <R::Item as IntoIterator>::Item: AsRef<str>,
{
    let mut csv = CsvOutput::new(header);
    for row in rows {
        csv.row(row);
    }
    csv.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for (text, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1+cmd", "'+1+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("-3", "-3"),
            ("-0.2500", "-0.2500"),
            ("12", "12"),
            ("A1234BC", "A1234BC"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(text), written, "{text:?}");
        }
        let bytes = csv_bytes(["id", "delta"], [["=1+1", "-3"]]);
        assert_eq!(String::from_utf8(bytes).unwrap(), "id,delta\n'=1+1,-3\n");
    }
}
