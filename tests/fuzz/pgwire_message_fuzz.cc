// Fuzz target: the PostgreSQL backend message codec and the connection state machine must
// reject any byte sequence a server (or a man in the middle) can send with an error, never a
// crash, leak, hang or unbounded allocation. The input is used twice: framed and decoded
// message by message, then served as the whole server side of a session (start-up,
// authentication including SCRAM, a simple query, an extended query and a COPY OUT).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "pgwire/backend.h"
#include "pgwire/connection.h"
#include "pgwire/scram.h"

namespace {

using rapidbyte::Result;
using rapidbyte::Status;
namespace pg = rapidbyte::pgwire;

class FuzzStream final : public pg::ByteStream {
 public:
  explicit FuzzStream(pg::Bytes data) : data_(data) {}
  Result<std::size_t> Read(std::span<std::uint8_t> out, int) override {
    // Vary the delivery size so reassembly paths are exercised.
    const std::size_t piece = 1 + (pos_ * 7919) % 61;
    const std::size_t n = std::min({out.size(), piece, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, n, out.data());
    pos_ += n;
    return n;
  }
  Status WriteAll(std::span<const std::uint8_t>, int) override { return Status::OK(); }
  Status StartTls(const pg::TlsParams&, int) override { return Status::OK(); }
  void Close() override {}

 private:
  pg::Bytes data_;
  std::size_t pos_ = 0;
};

class FixedRandom final : public pg::RandomSource {
 public:
  Status Fill(std::span<std::uint8_t> out) override {
    std::fill(out.begin(), out.end(), 0x5a);
    return Status::OK();
  }
};

void DecodeMessages(pg::Bytes input) {
  while (true) {
    auto frame = pg::ParseFrame(input, 1 << 20);
    if (!frame.ok() || !frame->has_value()) return;
    const pg::Frame& f = **frame;
    auto message = pg::ParseBackendMessage(f);
    if (message.ok()) {
      if (const auto* auth = std::get_if<pg::AuthenticationMsg>(&*message)) {
        if (auth->code == 10) (void)pg::ParseSaslMechanisms(auth->data);
        if (auth->code == 11) {
          pg::ScramClient client = pg::ScramClient::StartWithNonceForTest("pw", "nonce", "", 64);
          const std::string_view text(reinterpret_cast<const char*>(auth->data.data()),
                                      auth->data.size());
          if (client.HandleServerFirst(text).ok()) (void)client.VerifyServerFinal(text);
        }
      }
    }
    input = input.subspan(f.wire_size);
  }
}

void RunSession(pg::Bytes input) {
  static FixedRandom random;
  pg::ConnectOptions options;
  options.user = "fuzz";
  options.password = "pw";
  options.sslmode = (input.size() % 2 == 0) ? pg::SslMode::kPrefer : pg::SslMode::kDisable;
  options.max_message_bytes = 1 << 20;
  options.max_scram_iterations = 64;
  options.random = &random;
  auto conn = pg::Connection::Connect(std::make_unique<FuzzStream>(input), options);
  if (!conn.ok()) return;
  (void)(*conn)->SimpleQuery("SELECT 1");
  const std::uint8_t four[4] = {0, 0, 0, 4};
  const pg::Param params[] = {pg::Param::Binary(four, 23)};
  (void)(*conn)->Query("SELECT $1", params);
  if ((*conn)->StartCopyOut("COPY t TO STDOUT").ok()) {
    pg::Bytes chunk;
    while (true) {
      auto more = (*conn)->NextCopyData(&chunk);
      if (!more.ok() || !*more) break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const pg::Bytes input(data, size);
  DecodeMessages(input);
  RunSession(input);
  return 0;
}
