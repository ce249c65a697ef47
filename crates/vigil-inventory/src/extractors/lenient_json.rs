//! Lenient typed JSON for the SBOM readers: only the fields a reader names are kept; everything
//! else is skipped by the parser without being stored, so memory follows what is read rather
//! than the whole document (a `serde_json::Value` of a 50 MB CycloneDX file took 640 MB). A
//! field of an unexpected type does not fail the document: a [`Text`] reads it as `None`, an
//! [`Obj`] or [`Arr`] as `Wrong`, so that the reader can warn about that one entry.
//! serde_json's recursion limit still bounds the nesting (128 levels, then an error).

use std::{fmt, marker::PhantomData};

use serde::{
    de::{self, value::MapAccessDeserializer, IgnoredAny, MapAccess, SeqAccess, Visitor},
    Deserialize, Deserializer,
};

/// A string field; any other JSON value reads as `None`.
#[derive(Debug, Default)]
pub struct Text(pub Option<String>);

impl Text {
    /// Trimmed, and `None` when empty.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    pub fn owned(&self) -> Option<String> {
        self.get().map(String::from)
    }
}

/// An object field read as `T`.
#[derive(Debug, Default)]
pub enum Obj<T> {
    #[default]
    Missing,
    /// Present, but not an object.
    Wrong,
    Got(T),
}

/// An array field, each element read as `T`.
#[derive(Debug, Default)]
pub enum Arr<T> {
    #[default]
    Missing,
    /// Present, but not an array.
    Wrong,
    Got(Vec<T>),
}

impl<T> Obj<T> {
    pub fn got(&self) -> Option<&T> {
        match self {
            Obj::Got(value) => Some(value),
            Obj::Missing | Obj::Wrong => None,
        }
    }
}

impl<T> Arr<T> {
    /// The elements, none when the field is missing or not an array.
    pub fn items(&self) -> &[T] {
        match self {
            Arr::Got(items) => items,
            Arr::Missing | Arr::Wrong => &[],
        }
    }
}

/// The visitor methods for every value a field did not expect: skipped, then `$wrong`.
macro_rules! otherwise {
    ($value:ty, $wrong:expr, except $($skip:ident)*) => {
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_unit<E: de::Error>(self) -> Result<$value, E> {
            Ok($wrong)
        }
        otherwise!(@skip $value, $wrong, $($skip)*);
    };
    (@skip $value:ty, $wrong:expr, str seq) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($wrong)
        }
    };
    (@skip $value:ty, $wrong:expr, str map) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$value, E> {
            Ok($wrong)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($wrong)
        }
    };
    (@skip $value:ty, $wrong:expr, seq map) => {
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<$value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($wrong)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($wrong)
        }
    };
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            otherwise!(Text, Text(None), except seq map);
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(Some(v)))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjVisitor<T> {
            type Value = Obj<T>;
            otherwise!(Obj<T>, Obj::Wrong, except str seq);
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Obj::Got)
            }
        }
        deserializer.deserialize_any(ObjVisitor(PhantomData))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Arr<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ArrVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for ArrVisitor<T> {
            type Value = Arr<T>;
            otherwise!(Arr<T>, Arr::Wrong, except str map);
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arr<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Arr::Got(items))
            }
        }
        deserializer.deserialize_any(ArrVisitor(PhantomData))
    }
}

/// Reads a whole document, skipping a UTF-8 byte order mark (Windows tools write one).
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Doc {
        name: Text,
        inner: Obj<Inner>,
        list: Arr<Obj<Inner>>,
    }

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Inner {
        id: Text,
    }

    #[test]
    fn unexpected_types_read_as_missing_or_wrong_and_the_rest_is_skipped() {
        let doc: Doc = from_slice(
            br#"{"name": 5, "skipped": {"deep": [1, 2, {"x": "y"}]},
                "inner": [1], "list": [{"id": "a"}, "b", {"id": {"no": 1}}, null]}"#,
        )
        .unwrap();
        assert_eq!(doc.name.get(), None);
        assert!(matches!(doc.inner, Obj::Wrong));
        let ids: Vec<Option<Option<&str>>> = doc
            .list
            .items()
            .iter()
            .map(|i| i.got().map(|i| i.id.get()))
            .collect();
        assert_eq!(ids, [Some(Some("a")), None, Some(None), None]);
        let doc: Doc = from_slice(b"\xEF\xBB\xBF{\"name\": \" x \", \"list\": 3}").unwrap();
        assert_eq!(doc.name.get(), Some("x"));
        assert!(matches!(doc.list, Arr::Wrong));
    }

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Node {
        child: Obj<Box<Node>>,
    }

    #[test]
    fn nesting_is_bounded_by_the_parser() {
        // Read nesting: serde_json's recursion limit.
        let deep = format!("{}{}", "{\"child\": ".repeat(10_000), "}".repeat(10_000));
        assert!(from_slice::<Node>(deep.as_bytes())
            .unwrap_err()
            .contains("recursion limit"));
        // Skipped nesting: serde_json skips without recursing, so no stack is at risk.
        let deep = format!(
            "{{\"list\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let doc: Doc = from_slice(deep.as_bytes()).unwrap();
        assert!(matches!(doc.list, Arr::Got(ref items) if items.len() == 1));
    }
}
