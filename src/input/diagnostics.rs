//! Problems found in input files, each naming the file, line, column, value and the rule
//! broken. Loading never stops at the first problem: it returns what it could read plus
//! every diagnostic.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors make the input unusable, warnings are reported only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one place of an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based line in the file (the header is line 1), when the problem has one.
    pub line: Option<u64>,
    /// 1-based column number and the column's name, when the problem has one.
    pub column: Option<(usize, String)>,
    /// The offending value as written, when there is one.
    pub value: Option<String>,
    /// The rule broken, said so that the reader knows what to fix.
    pub message: String,
}

impl Diagnostic {
    /// An error about a whole file (missing, unreadable, wrong header).
    pub fn file_error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: error: column 'name', value "v": message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some((number, _)) = &self.column {
                write!(f, ":{number}")?;
            }
        }
        write!(f, ": {}: ", self.severity.word())?;
        if let Some((_, name)) = &self.column {
            write!(f, "column '{name}', ")?;
        }
        if let Some(value) = &self.value {
            write!(f, "value {value:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// The problems found so far, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Takes over another list's problems.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// The number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Every problem, in order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// The lines to print: every problem in order found, but of each rule in each file only
    /// the first `per_rule`, the last of them followed by a line saying how many more there
    /// are. A rule is a
    /// severity, a column and a message once its numbers are set aside ("first on line 3"
    /// and "first on line 9" are one rule). The list itself stays complete.
    pub fn printed(&self, per_rule: usize) -> Vec<String> {
        let mut totals: BTreeMap<RuleKey, usize> = BTreeMap::new();
        for d in &self.0 {
            *totals.entry(rule_key(d)).or_default() += 1;
        }
        let mut seen: BTreeMap<RuleKey, usize> = BTreeMap::new();
        let mut lines = Vec::new();
        for d in &self.0 {
            let key = rule_key(d);
            let total = totals[&key];
            let n = seen.entry(key).or_default();
            *n += 1;
            if *n > per_rule {
                continue;
            }
            lines.push(d.to_string());
            if *n == per_rule && total > per_rule {
                lines.push(format!(
                    "{}: ... and {} more {}(s) like this one",
                    d.file.display(),
                    total - per_rule,
                    d.severity.word()
                ));
            }
        }
        lines
    }
}

/// How many diagnostics of one rule in one file are printed (see [`Diagnostics::printed`]).
pub const PRINTED_PER_RULE: usize = 20;

/// File, severity, column name and the message without its digits.
type RuleKey = (PathBuf, Severity, Option<String>, String);

fn rule_key(d: &Diagnostic) -> RuleKey {
    let message = d.message.chars().filter(|c| !c.is_ascii_digit()).collect();
    (
        d.file.clone(),
        d.severity,
        d.column.as_ref().map(|(_, name)| name.clone()),
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_value_and_rule() {
        let d = Diagnostic {
            severity: Severity::Error,
            file: "data/prisons.csv".into(),
            line: Some(12),
            column: Some((8, "operational_capacity".into())),
            value: Some("-5".into()),
            message: "must be a whole number of places, 0 or more".into(),
        };
        assert_eq!(
            d.to_string(),
            "data/prisons.csv:12:8: error: column 'operational_capacity', value \"-5\": \
             must be a whole number of places, 0 or more"
        );
        let whole_file = Diagnostic::file_error(Path::new("x.csv"), "cannot be read");
        assert_eq!(whole_file.to_string(), "x.csv: error: cannot be read");
    }

    #[test]
    fn printing_caps_each_rule_and_counts_the_rest() {
        let unknown = |line| Diagnostic {
            line: Some(line),
            column: Some((2, "prison".into())),
            value: Some("XYZ".into()),
            ..Diagnostic::file_error(Path::new("p.csv"), "unknown prison")
        };
        let duplicate = |line: u64| Diagnostic {
            line: Some(line + 100),
            column: Some((1, "prisoner_id".into())),
            ..Diagnostic::file_error(Path::new("p.csv"), format!("first on line {line}"))
        };
        let mut diagnostics = Diagnostics::default();
        for line in 2..10 {
            diagnostics.push(unknown(line));
            diagnostics.push(duplicate(line));
        }
        let lines = diagnostics.printed(3);
        assert_eq!(lines.len(), 8, "{lines:#?}");
        assert!(lines[4].starts_with("p.csv:4:2: error: column 'prison'"));
        assert_eq!(lines[5], "p.csv: ... and 5 more error(s) like this one");
        assert!(lines[6].starts_with("p.csv:104:1: error: column 'prisoner_id'"));
        assert_eq!(lines[7], "p.csv: ... and 5 more error(s) like this one");
        assert_eq!(diagnostics.printed(100).len(), 16);
        assert_eq!(diagnostics.error_count(), 16, "the list stays complete");
    }
}
