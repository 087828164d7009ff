// Simple and extended query protocol: SimpleQuery, Query (unnamed statement), Prepare,
// ExecutePrepared, ClosePrepared.
#include <string>

#include "pgwire/connection.h"

namespace rapidbyte::pgwire {
namespace {

Status NotAQuery(char type) {
  return Status::FailedPrecondition(std::string("statement started a COPY (message '") + type +
                                    "'); use StartCopyOut/StartCopyIn for COPY statements");
}

}  // namespace

Status Connection::ReadRow(Bytes body, QueryResult* result) {
  auto row = ParseDataRow(body);
  if (!row.ok()) return Fail(row.status());
  QueryResult::Row cells(row->count);
  ForEachCell(*row, [&cells](std::uint16_t i, std::optional<Bytes> cell) {
    if (cell) cells[i].emplace(reinterpret_cast<const char*>(cell->data()), cell->size());
  });
  result->rows.push_back(std::move(cells));
  return Status::OK();
}

Result<QueryResult> Connection::SimpleQuery(std::string_view sql) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  RB_RETURN_NOT_OK(EncodeQuery(sql, &out_));
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  QueryResult last_with_rows;
  QueryResult current;
  bool have_rows = false;
  Status pending;
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case 'T': {
        auto desc = ParseRowDescription(frame.body);
        if (!desc.ok()) return Fail(desc.status());
        current = QueryResult();
        current.fields = std::move(desc->fields);
        break;
      }
      case 'D':
        RB_RETURN_NOT_OK(ReadRow(frame.body, &current));
        break;
      case 'C': {
        auto tag = ParseCommandComplete(frame.body);
        if (!tag.ok()) return Fail(tag.status());
        current.command_tag.assign(tag->tag);
        last_tag_ = current.command_tag;
        if (!current.fields.empty()) {
          last_with_rows = std::move(current);
          have_rows = true;
        }
        current = QueryResult();
        current.command_tag = last_tag_;
        break;
      }
      case 'I':
        break;  // empty query
      case 'E': {
        Status err = MakeServerError(frame.body);
        if (broken_) return err;
        if (pending.ok()) pending = std::move(err);
        break;
      }
      case 'G': {  // COPY FROM STDIN inside a simple query: refuse it politely
        if (pending.ok()) pending = NotAQuery(frame.type);
        RB_RETURN_NOT_OK(EncodeCopyFail("COPY is not supported by SimpleQuery", &out_));
        RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
        break;
      }
      case 'H':
        if (pending.ok()) pending = NotAQuery(frame.type);
        break;
      case 'd':
      case 'c':
        break;  // data of a refused COPY TO STDOUT
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        if (!pending.ok()) return pending;
        return have_rows ? std::move(last_with_rows) : std::move(current);
      }
      default:
        return Fail(ProtocolError(std::string("unexpected message '") + frame.type +
                                  "' in a simple query"));
    }
  }
}

Result<QueryResult> Connection::ReadExtendedResults() {
  QueryResult result;
  Status pending;
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case '1':
      case '2':
      case '3':
      case 'n':
        break;
      case 'T': {
        auto desc = ParseRowDescription(frame.body);
        if (!desc.ok()) return Fail(desc.status());
        result.fields = std::move(desc->fields);
        break;
      }
      case 'D':
        RB_RETURN_NOT_OK(ReadRow(frame.body, &result));
        break;
      case 'C': {
        auto tag = ParseCommandComplete(frame.body);
        if (!tag.ok()) return Fail(tag.status());
        result.command_tag.assign(tag->tag);
        last_tag_ = result.command_tag;
        break;
      }
      case 'I':
      case 's':
        break;
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'G':
      case 'H':
        return DrainUntilReady(NotAQuery(frame.type));
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        return result;
      }
      default:
        return Fail(ProtocolError(std::string("unexpected message '") + frame.type +
                                  "' in an extended query"));
    }
  }
}

Result<QueryResult> Connection::Query(std::string_view sql, std::span<const Param> params,
                                      Format result_format) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  std::vector<std::uint32_t> oids;
  oids.reserve(params.size());
  for (const Param& p : params) oids.push_back(p.type_oid);
  const std::size_t start = out_.size();
  Status encoded = EncodeParse("", sql, oids, &out_);
  if (encoded.ok()) encoded = EncodeBind("", "", params, result_format, &out_);
  if (encoded.ok()) encoded = EncodeDescribe('P', "", &out_);
  if (encoded.ok()) encoded = EncodeExecute("", 0, &out_);
  if (!encoded.ok()) {
    out_.resize(start);
    return encoded;
  }
  EncodeSync(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  return ReadExtendedResults();
}

Result<PreparedStatement> Connection::Prepare(std::string_view name, std::string_view sql,
                                              std::span<const std::uint32_t> param_oids) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  const std::size_t start = out_.size();
  Status encoded = EncodeParse(name, sql, param_oids, &out_);
  if (encoded.ok()) encoded = EncodeDescribe('S', name, &out_);
  if (!encoded.ok()) {
    out_.resize(start);
    return encoded;
  }
  EncodeSync(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  PreparedStatement statement;
  statement.name.assign(name);
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, NextMessage());
    switch (frame.type) {
      case '1':
      case 'n':
        break;
      case 't': {
        auto msg = ParseBackendMessage(frame);
        if (!msg.ok()) return Fail(msg.status());
        statement.param_oids = std::move(std::get<ParameterDescriptionMsg>(*msg).type_oids);
        break;
      }
      case 'T': {
        auto desc = ParseRowDescription(frame.body);
        if (!desc.ok()) return Fail(desc.status());
        statement.fields = std::move(desc->fields);
        break;
      }
      case 'E':
        return DrainUntilReady(MakeServerError(frame.body));
      case 'Z': {
        auto rfq = ParseReadyForQuery(frame.body);
        if (!rfq.ok()) return Fail(rfq.status());
        txn_status_ = rfq->status;
        return statement;
      }
      default:
        return Fail(ProtocolError(std::string("unexpected message '") + frame.type +
                                  "' while preparing a statement"));
    }
  }
}

Result<QueryResult> Connection::ExecutePrepared(const PreparedStatement& statement,
                                                std::span<const Param> params,
                                                Format result_format) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  const std::size_t start = out_.size();
  Status encoded = EncodeBind("", statement.name, params, result_format, &out_);
  if (encoded.ok()) encoded = EncodeDescribe('P', "", &out_);
  if (encoded.ok()) encoded = EncodeExecute("", 0, &out_);
  if (!encoded.ok()) {
    out_.resize(start);
    return encoded;
  }
  EncodeSync(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  return ReadExtendedResults();
}

Status Connection::ClosePrepared(std::string_view name) {
  RB_RETURN_NOT_OK(CheckUsable(Mode::kIdle));
  RB_RETURN_NOT_OK(EncodeClose('S', name, &out_));
  EncodeSync(&out_);
  RB_RETURN_NOT_OK(Flush(options_.io_timeout_ms));
  return ReadExtendedResults().status();
}

}  // namespace rapidbyte::pgwire
