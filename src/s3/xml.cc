#include "s3/xml.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace rapidbyte::s3 {
namespace {

bool IsNameChar(char c) {
  return c != '>' && c != '/' && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '=';
}

struct Tag {
  std::size_t begin = 0;      // '<'
  std::size_t end = 0;        // one past '>'
  std::string_view name;      // local name (prefix removed)
  bool closing = false;       // </name>
  bool self_closing = false;  // <name/>
};

// The next start or end tag at or after `pos`; comments, processing instructions, declarations
// and CDATA sections are skipped. nullopt at the end or on a malformed tag.
std::optional<Tag> NextTag(std::string_view xml, std::size_t pos) {
  for (;;) {
    const std::size_t lt = xml.find('<', pos);
    if (lt == std::string_view::npos || lt + 1 >= xml.size()) return std::nullopt;
    const std::string_view rest = xml.substr(lt);
    std::string_view terminator;
    if (rest.starts_with("<!--")) {
      terminator = "-->";
    } else if (rest.starts_with("<![CDATA[")) {
      terminator = "]]>";
    } else if (rest.starts_with("<?")) {
      terminator = "?>";
    } else if (rest.starts_with("<!")) {
      terminator = ">";
    }
    if (!terminator.empty()) {
      const std::size_t close = xml.find(terminator, lt + 2);
      if (close == std::string_view::npos) return std::nullopt;
      pos = close + terminator.size();
      continue;
    }
    Tag tag;
    tag.begin = lt;
    std::size_t i = lt + 1;
    if (xml[i] == '/') {
      tag.closing = true;
      ++i;
    }
    const std::size_t name_begin = i;
    while (i < xml.size() && IsNameChar(xml[i])) ++i;
    std::string_view name = xml.substr(name_begin, i - name_begin);
    const std::size_t colon = name.rfind(':');
    if (colon != std::string_view::npos) name.remove_prefix(colon + 1);
    if (name.empty()) return std::nullopt;
    tag.name = name;
    // Find the '>' outside quoted attribute values.
    char quote = 0;
    for (; i < xml.size(); ++i) {
      const char c = xml[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (i >= xml.size()) return std::nullopt;
    tag.self_closing = !tag.closing && xml[i - 1] == '/';
    tag.end = i + 1;
    return tag;
  }
}

// The inner range [begin, end) of the element whose start tag is `open`, or nullopt.
std::optional<std::pair<std::size_t, std::size_t>> InnerRange(std::string_view xml,
                                                              const Tag& open) {
  if (open.self_closing) return std::make_pair(open.end, open.end);
  int depth = 1;
  std::size_t pos = open.end;
  while (auto tag = NextTag(xml, pos)) {
    if (tag->name == open.name && !tag->self_closing) {
      depth += tag->closing ? -1 : 1;
      if (depth == 0) return std::make_pair(open.end, tag->begin);
    }
    pos = tag->end;
  }
  return std::nullopt;
}

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Text content: CDATA sections kept verbatim, everything else entity-decoded, tags dropped.
std::string TextOf(std::string_view inner) {
  std::string out;
  std::size_t pos = 0;
  while (pos < inner.size()) {
    const std::size_t cdata = inner.find("<![CDATA[", pos);
    const std::size_t lt = inner.find('<', pos);
    if (lt == std::string_view::npos) {
      out += XmlDecode(inner.substr(pos));
      break;
    }
    out += XmlDecode(inner.substr(pos, lt - pos));
    if (cdata == lt) {
      const std::size_t close = inner.find("]]>", lt + 9);
      if (close == std::string_view::npos) break;
      out.append(inner.substr(lt + 9, close - lt - 9));
      pos = close + 3;
    } else {
      const std::size_t gt = inner.find('>', lt);
      if (gt == std::string_view::npos) break;
      pos = gt + 1;
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> XmlText(std::string_view xml, std::string_view name) {
  std::size_t pos = 0;
  while (auto tag = NextTag(xml, pos)) {
    if (!tag->closing && tag->name == name) {
      const auto range = InnerRange(xml, *tag);
      if (!range) return std::nullopt;
      return TextOf(xml.substr(range->first, range->second - range->first));
    }
    pos = tag->end;
  }
  return std::nullopt;
}

std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view name) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (auto tag = NextTag(xml, pos)) {
    pos = tag->end;
    if (tag->closing || tag->name != name) continue;
    const auto range = InnerRange(xml, *tag);
    if (!range) break;
    out.push_back(xml.substr(range->first, range->second - range->first));
    pos = std::max(pos, range->second);
  }
  return out;
}

std::string XmlDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      out += text[i++];
      continue;
    }
    const std::size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += text[i++];
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    bool known = true;
    if (entity == "amp") {
      out += '&';
    } else if (entity == "lt") {
      out += '<';
    } else if (entity == "gt") {
      out += '>';
    } else if (entity == "quot") {
      out += '"';
    } else if (entity == "apos") {
      out += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const std::string_view digits = entity.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      const auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      known = !digits.empty() && ec == std::errc() && end == digits.data() + digits.size() &&
              cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
      if (known) AppendUtf8(cp, &out);
    } else {
      known = false;
    }
    if (known) {
      i = semi + 1;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace rapidbyte::s3
