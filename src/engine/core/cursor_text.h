// CursorValue for people (#22: `state show` prints positions in the column's type): the
// typed JSON a source stores ({"timestamp_micros": 1796615246278428}) as the value a data
// engineer recognises (2026-12-07T03:47:26.278428Z). The JSON form stays the stored and
// machine form (`state show --output json`, the run result, commit tokens). Pure.
#pragma once

#include <string>

#include "protocol/json.h"

namespace rapidbyte::engine {

/// int64 and decimal as digits, date32 as YYYY-MM-DD, timestamp_micros / timestamp_millis as
/// ISO 8601 in UTC (fraction digits only when there is a fraction), utf8 as a quoted JSON
/// string (control characters escaped, so a value cannot draw on a terminal), uuid as is,
/// PostgreSQL's infinities as "infinity" / "-infinity". Anything else: its JSON text.
std::string CursorValueText(const protocol::Json& value);

}  // namespace rapidbyte::engine
