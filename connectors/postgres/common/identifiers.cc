// Stream-name splitting and qualified-name quoting.
#include "connectors/postgres/common/identifiers.h"

#include "pgwire/catalog.h"

namespace rapidbyte::pgconn {

std::string QualifiedName::Quoted() const {
  return pgwire::QuoteIdent(schema) + "." + pgwire::QuoteIdent(relation);
}

QualifiedName SplitStreamName(std::string_view stream, std::string_view default_schema) {
  const std::size_t dot = stream.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == stream.size()) {
    return {std::string(default_schema), std::string(stream)};
  }
  return {std::string(stream.substr(0, dot)), std::string(stream.substr(dot + 1))};
}

}  // namespace rapidbyte::pgconn
