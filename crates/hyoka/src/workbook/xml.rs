//! The little XML a workbook's container needs, scanned as bytes: tags
//! and their attributes, without building a tree (the container check,
//! merged ranges and number formats read parts calamine reads again).

/// A name without its namespace prefix.
pub(super) fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// One tag of XML from `pos`: its name, its attribute text, whether it
/// closes itself, and the position after it. Comments, CDATA and
/// processing instructions come out as tags named `!…` or `?…`.
pub(super) fn next_tag(xml: &[u8], pos: usize) -> Option<(&[u8], &[u8], bool, usize)> {
    let start = pos + xml.get(pos..)?.iter().position(|&b| b == b'<')?;
    let mut quote = None;
    let mut end = None;
    for (k, &b) in xml[start + 1..].iter().enumerate() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                end = Some(start + 1 + k);
                break;
            }
            (None, _) => {}
        }
    }
    let end = end?;
    let inner = &xml[start + 1..end];
    let self_closing = inner.ends_with(b"/");
    let slash = usize::from(inner.starts_with(b"/"));
    let name_len = slash
        + inner[slash..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/')
            .unwrap_or(inner.len() - slash);
    Some((
        &inner[..name_len],
        &inner[name_len..],
        self_closing,
        end + 1,
    ))
}

/// The attributes in a tag's attribute text, as (name, raw value) pairs,
/// up to the first that is not well formed.
pub(super) fn attributes(text: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let eq = rest.iter().position(|&b| b == b'=')?;
        let name = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let (&q, value) = after.split_first()?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let len = value.iter().position(|&b| b == q)?;
        rest = &value[len + 1..];
        Some((name, &value[..len]))
    })
}

/// The value of attribute `name` in a tag's attribute text.
pub(super) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attributes(attrs).find(|(n, _)| *n == name).map(|(_, v)| v)
}
