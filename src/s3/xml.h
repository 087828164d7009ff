// A small, tolerant extractor for the XML documents S3 answers with: the text of named
// elements and the inner XML of repeated elements, with entities decoded. Not a validating
// parser: it skips the prolog, comments, CDATA is taken as text, namespaces are ignored
// (elements are matched by local name). Every index is bounds-checked; malformed input gives
// "not found", never a crash. Portable; no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapidbyte::s3 {

/// The decoded text of the first element named `name` anywhere in `xml`, or nullopt. An empty
/// element (<a/> or <a></a>) gives "".
std::optional<std::string> XmlText(std::string_view xml, std::string_view name);

/// The inner XML (not decoded) of every element named `name`, in document order; nested
/// elements of the same name are not looked into.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view name);

/// Decode &amp; &lt; &gt; &quot; &apos; and numeric references (&#NN; &#xNN;, as UTF-8); an
/// unknown or malformed reference is kept as written.
std::string XmlDecode(std::string_view text);

/// Escape & < > for element text (quotes need no escaping there: ETags keep theirs).
std::string XmlEscape(std::string_view text);

}  // namespace rapidbyte::s3
