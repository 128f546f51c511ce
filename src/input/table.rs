//! Reading a CSV file row by row, with every problem reported at its line and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use crate::input::diagnostics::{Diagnostic, Diagnostics, Severity};

/// A CSV file read whole, with its header checked against the columns a format requires.
pub struct Table {
    path: PathBuf,
    headers: Vec<String>,
    positions: HashMap<String, usize>,
    rows: Vec<(u64, StringRecord)>,
}

/// Who writes a file, for what is said about a file that cannot be used.
#[derive(Clone, Copy)]
enum Author<'a> {
    /// The user: an input.
    User,
    /// This command of resettle: an output read back.
    Command(&'a str),
}

impl Table {
    /// Reads `path`, which must have every column of `required` in its header (in any
    /// order) and no column name twice. Returns `None`, with the problems recorded, when the
    /// file cannot be used at all; rows with the wrong number of fields are reported and left
    /// out.
    pub fn read(path: &Path, required: &[&str], diagnostics: &mut Diagnostics) -> Option<Table> {
        Table::read_from(path, required, Author::User, diagnostics)
    }

    /// Reads `path`, a file that the command `writer` writes, as [`Table::read`] does; the
    /// problems that make it unusable say which command writes it.
    pub fn read_output(
        path: &Path,
        required: &[&str],
        writer: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Table> {
        Table::read_from(path, required, Author::Command(writer), diagnostics)
    }

    fn read_from(
        path: &Path,
        required: &[&str],
        author: Author,
        diagnostics: &mut Diagnostics,
    ) -> Option<Table> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                let message = match author {
                    Author::User => format!("cannot be read: {err}"),
                    Author::Command(writer) => {
                        format!("cannot be read ({err}); it is written by `{writer}`")
                    }
                };
                diagnostics.push(Diagnostic::file_error(path, message));
                return None;
            }
        };
        let lines = LineIndex::new(&bytes);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let headers: Vec<String> = match reader.headers() {
            Ok(headers) => headers.iter().map(|h| h.trim().to_string()).collect(),
            Err(err) => {
                let message = match author {
                    Author::User => format!("cannot be read: {err}"),
                    Author::Command(_) => format!("is not a CSV file: {err}"),
                };
                diagnostics.push(Diagnostic::file_error(path, message));
                return None;
            }
        };
        let mut positions: HashMap<String, usize> = HashMap::new();
        let mut duplicated = false;
        for (i, name) in headers.iter().enumerate() {
            // Columns with no name are left over from a spreadsheet: nobody refers to them.
            if name.is_empty() {
                continue;
            }
            if let Some(&first) = positions.get(name) {
                diagnostics.push(Diagnostic {
                    line: Some(1),
                    column: Some((i + 1, name.clone())),
                    value: Some(name.clone()),
                    ..Diagnostic::file_error(
                        path,
                        format!(
                            "appears twice in the header (also column {}): rename or remove one",
                            first + 1
                        ),
                    )
                });
                duplicated = true;
            } else {
                positions.insert(name.clone(), i);
            }
        }
        if duplicated {
            return None;
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|c| !positions.contains_key(*c))
            .collect();
        if !missing.is_empty() {
            diagnostics.push(match author {
                Author::User => Diagnostic {
                    line: Some(1),
                    ..Diagnostic::file_error(
                        path,
                        format!(
                            "the header lacks column(s) {}: it must name {}",
                            quoted(&missing),
                            quoted(required)
                        ),
                    )
                },
                Author::Command(writer) => Diagnostic::file_error(
                    path,
                    format!(
                        "lacks the column(s) {}; was it written by `{writer}`?",
                        missing.join(", ")
                    ),
                ),
            });
            return None;
        }
        let mut rows = Vec::new();
        for result in reader.records() {
            match result {
                Ok(record) => {
                    let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
                    if record.len() == 1 && record.get(0) == Some("") {
                        continue; // a blank line
                    }
                    if record.len() != headers.len() {
                        diagnostics.push(Diagnostic {
                            line: Some(line),
                            ..Diagnostic::file_error(
                                path,
                                format!(
                                    "the row has {} fields where the header has {}",
                                    record.len(),
                                    headers.len()
                                ),
                            )
                        });
                        continue;
                    }
                    rows.push((line, record));
                }
                Err(err) => {
                    let line = err.position().map(|p| lines.line_of(p.byte()));
                    diagnostics.push(Diagnostic {
                        line,
                        ..Diagnostic::file_error(
                            path,
                            format!("is not valid CSV here: {}", csv_reason(&err)),
                        )
                    });
                }
            }
        }
        Some(Table {
            path: path.to_path_buf(),
            headers,
            positions,
            rows,
        })
    }

    /// The rows, in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        (0..self.rows.len()).map(|index| self.row(index))
    }

    /// The header's column names, as written (trimmed).
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The position of `column` in the header, counted from 0, if the file has it.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.positions.get(column).copied()
    }

    /// How many rows [`Table::rows`] gives.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// The row at `index` of [`Table::rows`].
    pub fn row(&self, index: usize) -> Row<'_> {
        let (line, record) = &self.rows[index];
        Row {
            table: self,
            line: *line,
            record,
        }
    }
}

/// One data row of a [`Table`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    line: u64,
    record: &'a StringRecord,
}

impl<'a> Row<'a> {
    /// The 1-based line number in the file.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The trimmed text of every field, in the header's order.
    pub fn texts(&self) -> impl Iterator<Item = &'a str> {
        self.record.iter().map(str::trim)
    }

    /// Whether the file has `column` (a format's optional columns may be left out).
    pub fn has(&self, column: &str) -> bool {
        self.table.positions.contains_key(column)
    }

    /// The trimmed text of a column the format requires.
    pub fn text(&self, column: &str) -> &'a str {
        self.text_at(self.position(column))
    }

    /// The trimmed text of the field at `position` ([`Table::position`]).
    pub fn text_at(&self, position: usize) -> &'a str {
        self.record.get(position).unwrap_or("").trim()
    }

    fn position(&self, column: &str) -> usize {
        *self
            .table
            .positions
            .get(column)
            .unwrap_or_else(|| panic!("column '{column}' is not among the required columns"))
    }

    /// A diagnostic about `column` of this row, quoting its value.
    pub fn diagnostic(
        &self,
        severity: Severity,
        column: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let position = self.position(column);
        Diagnostic {
            severity,
            file: self.table.path.clone(),
            line: Some(self.line),
            column: Some((position + 1, self.table.headers[position].clone())),
            value: Some(self.text(column).to_string()),
            message: message.into(),
        }
    }

    /// Records an error about `column` of this row.
    pub fn error(&self, diagnostics: &mut Diagnostics, column: &str, message: impl Into<String>) {
        diagnostics.push(self.diagnostic(Severity::Error, column, message));
    }

    /// Records a warning about `column` of this row.
    pub fn warning(&self, diagnostics: &mut Diagnostics, column: &str, message: impl Into<String>) {
        diagnostics.push(self.diagnostic(Severity::Warning, column, message));
    }

    /// Reads a non-empty column with `parse`; on failure records `rule` and returns `None`.
    pub fn required<T>(
        &self,
        diagnostics: &mut Diagnostics,
        column: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        rule: &str,
    ) -> Option<T> {
        let text = self.text(column);
        if text.is_empty() {
            self.error(diagnostics, column, format!("is empty: {rule}"));
            return None;
        }
        let value = parse(text);
        if value.is_none() {
            self.error(diagnostics, column, rule.to_string());
        }
        value
    }

    /// Reads a column that may be empty: `Some(None)` when empty, `None` when it does not
    /// parse (with `rule` recorded).
    pub fn optional<T>(
        &self,
        diagnostics: &mut Diagnostics,
        column: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        rule: &str,
    ) -> Option<Option<T>> {
        if self.text(column).is_empty() {
            Some(None)
        } else {
            self.required(diagnostics, column, parse, rule).map(Some)
        }
    }
}

fn quoted(columns: &[&str]) -> String {
    columns
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn csv_reason(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "the text is not UTF-8".to_string(),
        _ => err.to_string(),
    }
}

/// Line numbers from byte offsets, counted by '\n' so that CRLF files and blank lines are
/// numbered as an editor numbers them.
struct LineIndex<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let newlines = bytes
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        LineIndex { bytes, newlines }
    }

    /// The 1-based line of the record starting at `offset` (the reader's position may sit on
    /// the line ending before the record).
    fn line_of(&self, offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while offset < self.bytes.len() && matches!(self.bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        self.newlines.partition_point(|&n| n < offset) as u64 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_are_counted_by_newlines_whatever_the_line_endings() {
        let text = b"a,b\r\n1,2\r\n\r\n3,4\r\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_of(5), 2);
        assert_eq!(lines.line_of(10), 4, "a blank line is skipped over");
    }
}
