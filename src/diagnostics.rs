//! Problems found in input files, each naming the file, line, column, value and the rule
//! broken. Loading never stops at the first problem: it returns what it could read plus
//! every diagnostic.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors make the input unusable, warnings are reported only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
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
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {severity}: ")?;
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
}
