// Fuzz target: the pgoutput decoder and the replication CopyData codec must answer any bytes a
// server (or a man in the middle) can send with an error, never a crash, an over-read, a leak
// or an allocation larger than the input. The input is decoded as one pgoutput message and,
// when it parses as XLogData, its payload too; every view a decoded message holds is read in
// full so AddressSanitizer sees any view that points outside the input.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "pgwire/pgoutput.h"
#include "pgwire/replication.h"

namespace {

namespace pg = rapidbyte::pgwire;
namespace po = rapidbyte::pgwire::pgoutput;

std::uint64_t Touch(pg::Bytes bytes) {
  std::uint64_t sum = 0;
  for (std::uint8_t b : bytes) sum += b;
  return sum;
}

std::uint64_t Touch(std::string_view s) {
  return Touch(pg::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

std::uint64_t Touch(po::Tuple tuple) {
  std::uint64_t sum = 0;
  for (const po::Value& v : tuple) sum += static_cast<std::uint8_t>(v.kind) + Touch(v.data);
  return sum;
}

struct Toucher {
  std::uint64_t operator()(const po::Begin& m) const { return m.xid; }
  std::uint64_t operator()(const po::Commit& m) const { return m.end_lsn.value(); }
  std::uint64_t operator()(const po::Origin& m) const { return Touch(m.name); }
  std::uint64_t operator()(const po::Type& m) const {
    return Touch(m.namespace_name) + Touch(m.type_name);
  }
  std::uint64_t operator()(const po::Relation& m) const {
    std::uint64_t sum = Touch(m.namespace_name) + Touch(m.relation_name);
    for (const po::Column& c : m.columns) sum += Touch(c.name) + c.type_oid + c.is_key();
    return sum;
  }
  std::uint64_t operator()(const po::Insert& m) const { return Touch(m.new_tuple); }
  std::uint64_t operator()(const po::Update& m) const {
    return Touch(m.old_tuple) + Touch(m.new_tuple);
  }
  std::uint64_t operator()(const po::Delete& m) const { return Touch(m.old_tuple); }
  std::uint64_t operator()(const po::Truncate& m) const {
    std::uint64_t sum = m.options;
    for (std::uint32_t id : m.relation_ids) sum += id;
    return sum;
  }
  std::uint64_t operator()(const po::LogicalMessage& m) const {
    return Touch(m.prefix) + Touch(m.content);
  }
};

volatile std::uint64_t g_sink = 0;

void DecodeOne(po::Decoder& decoder, pg::Bytes payload) {
  rapidbyte::Result<po::Message> message = decoder.Decode(payload);
  if (message.ok()) g_sink = g_sink + std::visit(Toucher{}, *message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const pg::Bytes input(data, size);
  po::Decoder decoder;
  DecodeOne(decoder, input);
  rapidbyte::Result<pg::ReplicationEvent> event = pg::ParseReplicationMessage(input);
  if (event.ok()) {
    if (const auto* x = std::get_if<pg::XLogData>(&*event)) DecodeOne(decoder, x->payload);
  }
  return 0;
}
