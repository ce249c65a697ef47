//! A small element tree for the XML formats (CycloneDX XML, Maven `pom.xml`), built with
//! quick-xml and no DTD processing at all.
//!
//! quick-xml never reads a DTD and never expands an entity by itself: it reports `&name;` as a
//! reference event and leaves the rest to the caller. Here only the five predefined entities
//! and character references are resolved; any other reference is an error, and so is a
//! `<!DOCTYPE>` that declares entities (billion laughs, `SYSTEM "file:///etc/passwd"`), so that
//! such a document is refused with a reason instead of being read half-expanded. Nesting and
//! element count are bounded, and the tree is built without recursion.

use quick_xml::{
    events::{BytesStart, Event},
    Reader, XmlVersion,
};

/// Deeper than any real SBOM or pom; keeps the recursive walks over the tree shallow.
pub const MAX_DEPTH: usize = 256;
/// Bounds the tree's memory whatever the file's size (a real 3 MB SBOM has ~40,000 elements).
pub const MAX_ELEMENTS: usize = 2_000_000;

#[derive(Debug, Default)]
pub struct Element {
    /// The local name, without a namespace prefix.
    pub name: String,
    /// Attributes by their full name (`xmlns`, `xmlns:x`, `bom-ref`).
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// All text directly inside the element, references resolved.
    pub text: String,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The trimmed text of the first child with this name, when it has any.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }
}

/// Parses a whole document into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, String> {
    parse_within(
        bytes,
        &|_, _| true,
        &mut |_, e| Some(e),
        MAX_DEPTH,
        MAX_ELEMENTS,
    )
}

/// Which elements to keep: `keep(parent, name)` on local names (the root's parent is ""). The
/// others are skipped with their content, unstored.
pub type Keep<'a> = &'a dyn Fn(&str, &str) -> bool;

/// Parses a document keeping only the elements `keep` accepts, and hands each element to
/// `closed(ancestors, element)` as its end tag is read: what it returns stays in the tree, what
/// it consumes does not. So a large document costs memory only for the part being read.
pub fn parse_streaming(
    bytes: &[u8],
    keep: Keep<'_>,
    closed: &mut dyn FnMut(&[Element], Element) -> Option<Element>,
) -> Result<Element, String> {
    parse_within(bytes, keep, closed, MAX_DEPTH, MAX_ELEMENTS)
}

fn parse_within(
    bytes: &[u8],
    keep: Keep<'_>,
    closed: &mut dyn FnMut(&[Element], Element) -> Option<Element>,
    max_depth: usize,
    max_elements: usize,
) -> Result<Element, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 at byte {} (only UTF-8 XML is read)",
            e.valid_up_to()
        )
    })?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0usize;
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "not well-formed XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(_) | Event::Empty(_) if stack.len() >= max_depth => {
                return Err(format!(
                    "elements nested deeper than {max_depth} levels; not read"
                ));
            }
            Event::Start(_) | Event::Empty(_) if count >= max_elements => {
                return Err(format!("more than {max_elements} elements; not read"));
            }
            Event::Start(start) if !kept(keep, &stack, &start) => {
                // Skipped whole; quick-xml still checks that its tags nest.
                reader.read_to_end(start.name()).map_err(|e| {
                    format!(
                        "not well-formed XML at byte {}: {e}",
                        reader.error_position()
                    )
                })?;
            }
            Event::Empty(start) if !kept(keep, &stack, &start) => {}
            Event::Start(start) => {
                count += 1;
                stack.push(element(&start)?);
            }
            Event::Empty(start) => {
                count += 1;
                let element = element(&start)?;
                attach(element, &mut stack, &mut root, &mut count, closed);
            }
            Event::End(_) => {
                let done = stack.pop().ok_or("an end tag without its start tag")?;
                attach(done, &mut stack, &mut root, &mut count, closed);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match predefined(&r.xml10_content()) {
                        Some(c) => c,
                        None => {
                            return Err(format!(
                                "entity reference &{}; at byte {}: entities are not expanded \
                                 (only the five predefined ones and character references)",
                                r.xml10_content(),
                                reader.buffer_position()
                            ))
                        }
                    },
                    Err(e) => {
                        return Err(format!(
                            "bad character reference at byte {}: {e}",
                            reader.buffer_position()
                        ))
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push(resolved);
                }
            }
            Event::DocType(doctype) => {
                let doctype = doctype.into_inner();
                if doctype.to_ascii_uppercase().contains("<!ENTITY") {
                    return Err("the document type declaration declares entities; \
                                DTDs and entities are not processed, so it is refused"
                        .to_string());
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!(
            "truncated XML: <{}> is never closed",
            stack.last().map(|e| e.name.as_str()).unwrap_or("")
        ));
    }
    root.ok_or_else(|| "no root element".to_string())
}

/// Offers a closed element to `closed`, and puts what it gives back under its parent. `count`
/// holds the elements in memory, so consumed ones no longer count against the limit.
fn attach(
    done: Element,
    stack: &mut [Element],
    root: &mut Option<Element>,
    count: &mut usize,
    closed: &mut dyn FnMut(&[Element], Element) -> Option<Element>,
) {
    let size = size(&done);
    match closed(stack, done) {
        Some(kept) => match stack.last_mut() {
            Some(parent) => parent.children.push(kept),
            None => *root = root.take().or(Some(kept)),
        },
        None => *count -= size,
    }
}

/// The number of elements in a subtree (its depth is bounded by [`MAX_DEPTH`]).
fn size(element: &Element) -> usize {
    1 + element.children.iter().map(size).sum::<usize>()
}

fn kept(keep: Keep<'_>, stack: &[Element], start: &BytesStart<'_>) -> bool {
    let parent = stack.last().map_or("", |p| p.name.as_str());
    keep(parent, start.local_name().as_ref())
}

fn element(start: &BytesStart<'_>) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| format!("attribute {}: {e}", attr.key.as_ref()))?;
        attrs.push((attr.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(Element {
        name: start.local_name().as_ref().to_string(),
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_attributes_and_predefined_references_are_read() {
        let root = parse(
            br#"<?xml version="1.0"?><!-- c --><a x="1 &amp; 2"><b>one &lt;two&gt; &#x41;&#66;</b><c/><b><![CDATA[<raw>]]></b></a>"#,
        )
        .unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.child_text("b"), Some("one <two> AB"));
        assert_eq!(root.children_named("b").nth(1).unwrap().text, "<raw>");
        assert!(root.child("c").is_some());
    }

    #[test]
    fn elements_not_kept_are_skipped_with_their_content() {
        let doc = br#"<a><keep>1<deep><x/></deep></keep><skip><keep>2</keep><y>&amp;</y></skip><skip/></a>"#;
        let keep = &|parent: &str, name: &str| parent.is_empty() || name == "keep";
        let root = parse_streaming(doc, keep, &mut |_, e| Some(e)).unwrap();
        let names: Vec<&str> = root.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["keep"]);
        assert_eq!(root.children[0].text, "1");
        assert!(root.children[0].children.is_empty());
        // A skipped element must still be closed properly.
        let err = parse_streaming(
            b"<a><skip><b></skip></a>",
            &|p, _| p.is_empty(),
            &mut |_, e| Some(e),
        )
        .unwrap_err();
        assert!(err.contains("not well-formed"), "{err}");
    }

    #[test]
    fn consumed_elements_leave_the_tree_and_the_count() {
        let doc = format!("<a>{}</a>", "<b><c/></b>".repeat(100));
        let mut seen = 0;
        let root = parse_within(
            doc.as_bytes(),
            &|_, _| true,
            &mut |ancestors, e| {
                if e.name == "b" && ancestors.len() == 1 {
                    seen += e.children.len();
                    None
                } else {
                    Some(e)
                }
            },
            8,
            10,
        )
        .unwrap();
        assert_eq!(seen, 100);
        assert!(root.children.is_empty());
    }

    #[test]
    fn billion_laughs_is_refused_not_expanded() {
        let mut doc =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            doc.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        doc.push_str("]>\n<lolz>&lol9;</lolz>");
        let err = parse(doc.as_bytes()).unwrap_err();
        assert!(err.contains("declares entities"), "{err}");
    }

    #[test]
    fn external_entities_are_refused_not_read() {
        let doc = br#"<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"#;
        let err = parse(doc).unwrap_err();
        assert!(err.contains("declares entities"), "{err}");
        // Without the declaration the reference is still not expanded.
        let err = parse(br#"<foo>&xxe;</foo>"#).unwrap_err();
        assert!(
            err.contains("&xxe;") && err.contains("not expanded"),
            "{err}"
        );
        // A DOCTYPE that declares nothing is harmless.
        assert!(parse(br#"<!DOCTYPE foo SYSTEM "foo.dtd"><foo/>"#).is_ok());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 100_000;
        let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let err = parse(doc.as_bytes()).unwrap_err();
        assert!(err.contains("deeper than 256"), "{err}");
    }

    #[test]
    fn the_element_count_is_bounded() {
        let doc = format!("<a>{}</a>", "<b/>".repeat(100));
        assert_eq!(
            parse_within(doc.as_bytes(), &|_, _| true, &mut |_, e| Some(e), 8, 101)
                .unwrap()
                .children
                .len(),
            100
        );
        let err =
            parse_within(doc.as_bytes(), &|_, _| true, &mut |_, e| Some(e), 8, 100).unwrap_err();
        assert_eq!(err, "more than 100 elements; not read");
    }

    #[test]
    fn malformed_truncated_and_non_utf8_input_are_errors() {
        assert!(parse(b"<a><b></a>")
            .unwrap_err()
            .contains("not well-formed"));
        assert!(parse(b"<a><b>").unwrap_err().contains("truncated"));
        assert!(parse(b"").unwrap_err().contains("no root element"));
        assert!(parse(b"<a>\xff</a>").unwrap_err().contains("not UTF-8"));
    }
}
