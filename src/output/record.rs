//! CSV files as rows of a struct (the formats of [`crate::output::rows`]): the struct's fields are the
//! columns, in order, and a field holding a struct stands for that struct's columns in its
//! place. Rows are written with every cell through [`csv_cell`](super::csv_cell) and read from
//! a [`Table`] with every cell that does not parse reported at its line and column.

use std::path::Path;
use std::str::FromStr;

use serde::de::value::Error;
use serde::de::{self, DeserializeOwned, IntoDeserializer, MapAccess, Visitor};
use serde::ser::{self, Impossible, Serialize};

use super::csv_bytes;
use crate::input::diagnostics::Diagnostics;
use crate::input::table::{Row, Table};

/// The columns of rows of type `R`, in order.
fn columns<R: DeserializeOwned>() -> Vec<&'static str> {
    let mut names = ColumnNames(Vec::new());
    R::deserialize(Field::new("", &mut names)).expect("a row type is a struct of columns");
    names.0
}

/// A CSV file of `rows`: the header of `R`'s columns, then one line per row.
pub fn rows_csv<R: Serialize + DeserializeOwned>(rows: impl IntoIterator<Item = R>) -> Vec<u8> {
    let columns = columns::<R>();
    let cells = rows.into_iter().map(|row| {
        let mut writer = CellWriter {
            columns: &columns,
            column: "",
            cells: Vec::with_capacity(columns.len()),
        };
        row.serialize(&mut writer)
            .expect("a row type is a struct of columns");
        writer.cells
    });
    csv_bytes(&columns, cells)
}

/// Reads the rows of `path`, a file that the command `writer` writes, which must have every
/// column of `R`. `None`, with the problems recorded, when the file cannot be used at all;
/// else its rows, in order, each read as it is taken: a row with a cell that does not parse
/// is reported, every such cell, and left out.
pub fn read_rows<'d, R: DeserializeOwned>(
    path: &Path,
    writer: &str,
    diagnostics: &'d mut Diagnostics,
) -> Option<impl Iterator<Item = R> + 'd> {
    let columns = columns::<R>();
    let table = Table::read_output(path, &columns, writer, diagnostics)?;
    let positions: Vec<(&str, usize)> = columns
        .iter()
        .map(|&column| (column, table.position(column).expect("a required column")))
        .collect();
    let rows = (0..table.row_count()).filter_map(move |index| {
        let mut cells = RowCells {
            row: table.row(index),
            positions: &positions,
            diagnostics: &mut *diagnostics,
            rejected: false,
        };
        let value =
            R::deserialize(Field::new("", &mut cells)).expect("a row type is a struct of columns");
        (!cells.rejected).then_some(value)
    });
    Some(rows)
}

/// A CSV file that the command `writer` writes, as text: its header and its rows. `None`, with
/// the problems recorded, when the file cannot be used at all.
pub fn read_texts(
    path: &Path,
    writer: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let table = Table::read_output(path, &[], writer, diagnostics)?;
    let rows = table
        .rows()
        .map(|row| row.texts().map(str::to_string).collect())
        .collect();
    Some((table.headers().to_vec(), rows))
}

// ---------------------------------------------------------------------------------------
// Reading: a row type deserialised from the cells of a row, or from nothing to learn its
// columns.

/// Where the cells of a row come from.
trait Cells {
    /// The text of `column`.
    fn text(&mut self, column: &'static str) -> &str;
    /// Records that the text of `column` does not parse: `rule` says what it must be.
    fn reject(&mut self, column: &'static str, rule: &str);
}

/// No cells: every column is empty and recorded, in order.
struct ColumnNames(Vec<&'static str>);

impl Cells for ColumnNames {
    fn text(&mut self, column: &'static str) -> &str {
        self.0.push(column);
        ""
    }

    fn reject(&mut self, _: &'static str, _: &str) {}
}

/// The cells of a row of a table.
struct RowCells<'a, 'd> {
    row: Row<'a>,
    /// Each column's position in the table, looked up once for the file.
    positions: &'d [(&'static str, usize)],
    diagnostics: &'d mut Diagnostics,
    /// Some cell did not parse.
    rejected: bool,
}

impl Cells for RowCells<'_, '_> {
    fn text(&mut self, column: &'static str) -> &str {
        let (_, position) = self
            .positions
            .iter()
            .find(|(name, _)| *name == column)
            .expect("a column of the row type");
        self.row.text_at(*position)
    }

    fn reject(&mut self, column: &'static str, rule: &str) {
        self.row.error(self.diagnostics, column, rule);
        self.rejected = true;
    }
}

/// One field of a row type: a column, or a struct whose fields are columns. A cell that does
/// not parse is rejected and read as zero (or false), so that every such cell of the row is
/// reported.
struct Field<'c, C> {
    column: &'static str,
    cells: &'c mut C,
}

impl<'c, C: Cells> Field<'c, C> {
    fn new(column: &'static str, cells: &'c mut C) -> Self {
        Field { column, cells }
    }

    fn parse<T: FromStr + Default>(self, rule: &str) -> T {
        let parsed = self.cells.text(self.column).parse();
        parsed.unwrap_or_else(|_| {
            self.cells.reject(self.column, rule);
            T::default()
        })
    }
}

const NOT_A_NUMBER: &str = "is not a number";

macro_rules! numbers {
    ($($deserialize:ident => $visit:ident),* $(,)?) => {
        $(fn $deserialize<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.$visit(self.parse(NOT_A_NUMBER))
        })*
    };
}

impl<'de, C: Cells> de::Deserializer<'de> for Field<'_, C> {
    type Error = Error;

    /// Text.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_str(self.cells.text(self.column))
    }

    numbers! {
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.parse("is neither true nor false"))
    }

    /// An empty cell is none.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.cells.text(self.column).is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Its fields are columns.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Fields {
            fields: fields.iter(),
            next: "",
            cells: self.cells,
        })
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

/// The fields of a struct, read in order.
struct Fields<'c, C> {
    fields: std::slice::Iter<'static, &'static str>,
    /// The field whose key was read last.
    next: &'static str,
    cells: &'c mut C,
}

impl<'de, C: Cells> MapAccess<'de> for Fields<'_, C> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(&field) = self.fields.next() else {
            return Ok(None);
        };
        self.next = field;
        seed.deserialize(field.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Field::new(self.next, &mut *self.cells))
    }
}

// ---------------------------------------------------------------------------------------
// Writing: a row type serialised into its cells.

/// The cells of one row, checked against the columns as they are written.
struct CellWriter<'a> {
    columns: &'a [&'static str],
    /// The field being written.
    column: &'static str,
    cells: Vec<String>,
}

impl CellWriter<'_> {
    fn push(&mut self, cell: String) -> Result<(), Error> {
        let expected = self.columns.get(self.cells.len()).copied();
        if expected != Some(self.column) {
            return Err(ser::Error::custom(format!(
                "the field {} is written where the column is {expected:?}",
                self.column
            )));
        }
        self.cells.push(cell);
        Ok(())
    }
}

fn not_a_column<T>() -> Result<T, Error> {
    Err(ser::Error::custom(
        "a row's field is a column or a struct of columns",
    ))
}

macro_rules! displayed {
    ($($serialize:ident: $type:ty),* $(,)?) => {
        $(fn $serialize(self, value: $type) -> Result<(), Error> {
            self.push(value.to_string())
        })*
    };
}

impl ser::Serializer for &mut CellWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    displayed! {
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_char: char,
        serialize_str: &str,
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        not_a_column()
    }

    /// An empty cell.
    fn serialize_none(self) -> Result<(), Error> {
        self.push(String::new())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.push(String::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.push(String::new())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.push(variant.to_string())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        not_a_column()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        not_a_column()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        not_a_column()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        not_a_column()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        not_a_column()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        not_a_column()
    }

    /// Its fields are columns.
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        not_a_column()
    }
}

impl ser::SerializeStruct for &mut CellWriter<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.column = key;
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Part {
        share: Option<f64>,
        held: bool,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Line {
        name: String,
        week: u32,
        part: Part,
        count: u64,
    }

    #[test]
    fn a_struct_field_stands_for_its_columns_and_rows_read_back() {
        assert_eq!(
            columns::<Line>(),
            ["name", "week", "share", "held", "count"]
        );
        let rows = [
            Line {
                name: "=cmd".into(),
                week: 3,
                part: Part {
                    share: Some(0.25),
                    held: true,
                },
                count: 7,
            },
            Line {
                name: "b".into(),
                week: 0,
                part: Part {
                    share: None,
                    held: false,
                },
                count: 0,
            },
        ];
        let bytes = rows_csv(rows);
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "name,week,share,held,count\n'=cmd,3,0.25,true,7\nb,0,,false,0\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lines.csv");
        std::fs::write(&path, bytes).unwrap();
        let mut diagnostics = Diagnostics::default();
        let read: Vec<Line> = read_rows(&path, "test", &mut diagnostics)
            .unwrap()
            .collect();
        assert!(!diagnostics.has_errors());
        assert_eq!(read[0].name, "'=cmd");
        assert_eq!(
            read[1].part,
            Part {
                share: None,
                held: false
            }
        );
    }

    #[test]
    fn every_cell_that_does_not_parse_is_reported_and_its_row_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lines.csv");
        std::fs::write(
            &path,
            "count,held,share,week,name,extra\nx,maybe,0.5,1,a,\n2,true,,3,b,\n",
        )
        .unwrap();
        let mut diagnostics = Diagnostics::default();
        let read: Vec<Line> = read_rows(&path, "test", &mut diagnostics)
            .unwrap()
            .collect();
        assert_eq!(read.len(), 1);
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains(":2:2: error: column 'held', value \"maybe\""));
        assert!(messages[1].contains(":2:1: error: column 'count', value \"x\": is not a number"));
    }
}
