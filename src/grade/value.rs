//! Observed Python values as the harness serialises them (docs/protocol.md, VALUE), their
//! comparison, and their rendering as Python literals.

use serde_json::Value as Json;
use std::fmt::Write as _;

/// One observed value. Only builtin types exist here; anything else arrives as `Refused`,
/// which equals nothing, so an always-equal object or an `int` subclass cannot pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    /// Decimal digits, kept as text so big integers stay exact.
    Int(String),
    /// Python's `repr` of the float.
    Float(String),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Set(Vec<Value>),
    FrozenSet(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// The call returned normally; the case did not observe the returned object.
    Unobserved,
    /// An object the harness would not serialise: its type name and why.
    Refused {
        type_name: String,
        reason: String,
    },
}

impl Value {
    /// Parses the tagged-array form. Anything malformed becomes `Refused`, never a panic:
    /// the submission's process wrote it and may have forged it.
    pub fn from_json(json: &Json) -> Value {
        Self::parse(json, 0)
    }

    fn parse(json: &Json, depth: usize) -> Value {
        let malformed = || Value::Refused {
            type_name: "?".into(),
            reason: "malformed observation".into(),
        };
        if depth > 64 {
            return malformed();
        }
        let Some(items) = json.as_array() else {
            return malformed();
        };
        let tag = items.first().and_then(Json::as_str).unwrap_or("");
        let arg = items.get(1);
        let text = |index: usize| items.get(index).and_then(Json::as_str).map(str::to_owned);
        let seq = || -> Option<Vec<Value>> {
            Some(
                arg?.as_array()?
                    .iter()
                    .map(|item| Self::parse(item, depth + 1))
                    .collect(),
            )
        };
        let parsed = match tag {
            "none" => Some(Value::None),
            "unobserved" => Some(Value::Unobserved),
            "bool" => arg.and_then(Json::as_bool).map(Value::Bool),
            "int" => text(1)
                .filter(|digits| is_int_literal(digits))
                .map(Value::Int),
            "float" => text(1).map(Value::Float),
            "str" => text(1).map(Value::Str),
            "bytes" => text(1).and_then(|hex| decode_hex(&hex)).map(Value::Bytes),
            "list" => seq().map(Value::List),
            "tuple" => seq().map(Value::Tuple),
            "set" => seq().map(Value::Set),
            "frozenset" => seq().map(Value::FrozenSet),
            "dict" => arg.and_then(Json::as_array).and_then(|pairs| {
                pairs
                    .iter()
                    .map(|pair| {
                        let pair = pair.as_array()?;
                        match pair.as_slice() {
                            [key, value] => {
                                Some((Self::parse(key, depth + 1), Self::parse(value, depth + 1)))
                            }
                            _ => None,
                        }
                    })
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Dict)
            }),
            "refused" => Some(Value::Refused {
                type_name: text(1).unwrap_or_else(|| "?".into()),
                reason: text(2).unwrap_or_default(),
            }),
            _ => None,
        };
        parsed.unwrap_or_else(malformed)
    }

    /// Equality as the grader means it: Python's `==` restricted to exact builtin types
    /// (so `True != 1` and `1 != 1.0`), dicts equal whatever their order, and `Refused`
    /// equal to nothing.
    pub fn same_as(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (None, None) | (Unobserved, Unobserved) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a == b || float_value(a) == float_value(b),
            (Str(a), Str(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (List(a), List(b))
            | (Tuple(a), Tuple(b))
            | (Set(a), Set(b))
            | (FrozenSet(a), FrozenSet(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
            }
            (Dict(a), Dict(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(key, value)| {
                        b.iter().any(|(other_key, other_value)| {
                            key.same_as(other_key) && value.same_as(other_value)
                        })
                    })
            }
            _ => false,
        }
    }

    /// The value as a Python literal on one line.
    pub fn to_python(&self) -> String {
        let mut out = String::new();
        self.write_python(&mut out);
        out
    }

    /// The value as a Python literal, broken over indented lines when it is long, so a
    /// line diff of two containers points at the differing items.
    pub fn to_python_pretty(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    /// Whether this is a container worth showing as a diff.
    pub fn is_container(&self) -> bool {
        matches!(
            self,
            Value::List(_) | Value::Tuple(_) | Value::Set(_) | Value::FrozenSet(_) | Value::Dict(_)
        )
    }

    fn write_python(&self, out: &mut String) {
        match self {
            Value::None => out.push_str("None"),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::Int(digits) => out.push_str(digits),
            Value::Float(repr) => out.push_str(repr),
            Value::Str(text) => write_str_literal(out, text),
            Value::Bytes(bytes) => write_bytes_literal(out, bytes),
            Value::Unobserved => out.push_str("<returned normally>"),
            Value::Refused { type_name, reason } => {
                let _ = write!(out, "<{type_name} object");
                if !reason.is_empty() {
                    let _ = write!(out, " ({reason})");
                }
                out.push('>');
            }
            Value::List(items) => write_items(out, "[", items, "]"),
            Value::Tuple(items) if items.len() == 1 => {
                out.push('(');
                items[0].write_python(out);
                out.push_str(",)");
            }
            Value::Tuple(items) => write_items(out, "(", items, ")"),
            Value::Set(items) if items.is_empty() => out.push_str("set()"),
            Value::Set(items) => write_items(out, "{", items, "}"),
            Value::FrozenSet(items) if items.is_empty() => out.push_str("frozenset()"),
            Value::FrozenSet(items) => write_items(out, "frozenset({", items, "})"),
            Value::Dict(pairs) => {
                out.push('{');
                for (index, (key, value)) in pairs.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    key.write_python(out);
                    out.push_str(": ");
                    value.write_python(out);
                }
                out.push('}');
            }
        }
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        const WIDTH: usize = 72;
        let flat = self.to_python();
        if flat.len() + indent <= WIDTH || !self.is_container() {
            out.push_str(&flat);
            return;
        }
        let pad = " ".repeat(indent + 4);
        let (open, close) = match self {
            Value::List(_) => ("[", "]"),
            Value::Tuple(_) => ("(", ")"),
            Value::Set(_) => ("{", "}"),
            Value::FrozenSet(_) => ("frozenset({", "})"),
            _ => ("{", "}"),
        };
        out.push_str(open);
        out.push('\n');
        match self {
            Value::Dict(pairs) => {
                for (key, value) in pairs {
                    out.push_str(&pad);
                    key.write_python(out);
                    out.push_str(": ");
                    value.write_pretty(out, indent + 4);
                    out.push_str(",\n");
                }
            }
            Value::List(items)
            | Value::Tuple(items)
            | Value::Set(items)
            | Value::FrozenSet(items) => {
                for item in items {
                    out.push_str(&pad);
                    item.write_pretty(out, indent + 4);
                    out.push_str(",\n");
                }
            }
            _ => unreachable!("checked by is_container"),
        }
        out.push_str(&" ".repeat(indent));
        out.push_str(close);
    }
}

fn write_items(out: &mut String, open: &str, items: &[Value], close: &str) {
    out.push_str(open);
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push_str(", ");
        }
        item.write_python(out);
    }
    out.push_str(close);
}

fn is_int_literal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit())
}

fn float_value(repr: &str) -> Option<f64> {
    repr.parse::<f64>().ok().filter(|value| !value.is_nan())
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|index| u8::from_str_radix(hex.get(index..index + 2)?, 16).ok())
        .collect()
}

/// Writes `text` the way Python's `repr` does: single quotes unless the text holds a
/// single quote and no double quote.
pub fn write_str_literal(out: &mut String, text: &str) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ch if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            ch if (ch as u32) < 0x20 || ch as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", ch as u32);
            }
            ch => out.push(ch),
        }
    }
    out.push(quote);
}

fn write_bytes_literal(out: &mut String, bytes: &[u8]) {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    out.push('b');
    out.push(quote as char);
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            byte if byte == quote => {
                out.push('\\');
                out.push(byte as char);
            }
            0x20..=0x7e => out.push(byte as char),
            byte => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push(quote as char);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(json: Json) -> Value {
        Value::from_json(&json)
    }

    #[test]
    fn renders_python_literals() {
        let dict = value(json!([
            "dict",
            [
                [["str", "a"], ["int", "1"]],
                [["tuple", [["none"]]], ["bool", true]]
            ]
        ]));
        assert_eq!(dict.to_python(), "{'a': 1, (None,): True}");
        assert_eq!(value(json!(["set", []])).to_python(), "set()");
        assert_eq!(value(json!(["str", "it's"])).to_python(), "\"it's\"");
        assert_eq!(
            value(json!(["bytes", "00ff41"])).to_python(),
            "b'\\x00\\xffA'"
        );
        assert_eq!(
            value(json!(["refused", "MyInt", "a subclass of int"])).to_python(),
            "<MyInt object (a subclass of int)>"
        );
    }

    #[test]
    fn keeps_exact_types_apart() {
        assert!(!value(json!(["bool", true])).same_as(&value(json!(["int", "1"]))));
        assert!(!value(json!(["int", "1"])).same_as(&value(json!(["float", "1.0"]))));
        assert!(!value(json!(["list", []])).same_as(&value(json!(["tuple", []]))));
        assert!(value(json!(["float", "0.0"])).same_as(&value(json!(["float", "-0.0"]))));
    }

    #[test]
    fn refused_equals_nothing_not_even_itself() {
        let refused = value(json!(["refused", "AlwaysEqual", "not a builtin type"]));
        assert!(!refused.same_as(&refused.clone()));
    }

    #[test]
    fn dicts_compare_without_order() {
        let ab = value(json!([
            "dict",
            [[["str", "a"], ["int", "1"]], [["str", "b"], ["int", "2"]]]
        ]));
        let ba = value(json!([
            "dict",
            [[["str", "b"], ["int", "2"]], [["str", "a"], ["int", "1"]]]
        ]));
        assert!(ab.same_as(&ba));
    }

    #[test]
    fn malformed_input_is_refused_not_a_panic() {
        for junk in [
            json!(null),
            json!(["int", "12a"]),
            json!(["bytes", "0"]),
            json!(["dict", [[1]]]),
            json!({}),
        ] {
            assert!(matches!(value(junk), Value::Refused { .. }));
        }
    }

    #[test]
    fn pretty_form_breaks_long_containers() {
        let long: Vec<Json> = (0..30).map(|i| json!(["int", i.to_string()])).collect();
        let pretty = value(json!(["list", long])).to_python_pretty();
        assert!(pretty.starts_with("[\n    0,\n    1,\n"), "{pretty}");
        assert!(pretty.ends_with("    29,\n]"), "{pretty}");
    }
}
