//! JSON helpers the token, key and matching parsers share: what serde_json's `Value` does not
//! tell (duplicate members, nesting depth) and how to name a value without showing it.

use serde_json::Value;

/// JSON nesting deeper than this is refused in headers, payloads, matching objects and keys.
pub const MAX_JSON_DEPTH: usize = 32;

/// The JSON type of a value, for messages that must not show the value.
pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The members that appear more than once in an object of `json`, as paths (`alg`,
/// `keys[0].kid`), in the order found; empty when there are none or `json` is not JSON (the
/// caller's parser reports that).
///
/// serde_json's `Value` keeps the last of duplicate members without a word, so this walks the
/// document once more with a visitor that remembers each object's member names. The input is
/// a token part or a key file (at most 64 KiB and 1 MiB, depth-limited by the caller).
pub fn duplicate_members(json: &[u8]) -> Vec<String> {
    use serde::de::DeserializeSeed as _;
    let mut found = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let scan = duplicates::Scan {
        path: String::new(),
        found: &mut found,
    };
    if scan.deserialize(&mut deserializer).is_err() || deserializer.end().is_err() {
        return Vec::new();
    }
    found
}

mod duplicates {
    //! The visitor behind [`duplicate_members`](super::duplicate_members).

    use std::collections::HashSet;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    pub(super) struct Scan<'a> {
        pub(super) path: String,
        pub(super) found: &'a mut Vec<String>,
    }

    impl<'de> DeserializeSeed<'de> for Scan<'_> {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    macro_rules! ignore {
        ($($method:ident: $type:ty),*) => {
            $(fn $method<E: serde::de::Error>(self, _: $type) -> Result<(), E> { Ok(()) })*
        };
    }

    impl<'de> Visitor<'de> for Scan<'_> {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        ignore!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64,
            visit_str: &str);

        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0usize;
            loop {
                let element = Scan {
                    path: format!("{}[{index}]", self.path),
                    found: &mut *self.found,
                };
                if seq.next_element_seed(element)?.is_none() {
                    return Ok(());
                }
                index += 1;
            }
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = HashSet::new();
            while let Some(name) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    name.clone()
                } else {
                    format!("{}.{name}", self.path)
                };
                if !seen.insert(name) && !self.found.contains(&path) {
                    self.found.push(path.clone());
                }
                map.next_value_seed(Scan {
                    path,
                    found: &mut *self.found,
                })?;
            }
            Ok(())
        }
    }
}

/// Whether brackets nest deeper than `max`, counted without parsing (strings are skipped).
///
/// serde_json has its own recursion limit of 128; this keeps the bound tighter and the error
/// clearer for hostile input.
pub(crate) fn json_depth_exceeds(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}
