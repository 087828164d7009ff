// SCRAM-SHA-256 client (RFC 5802, RFC 7677) as PostgreSQL uses it: no channel binding
// (GS2 header "n,,"), an empty user name in the client-first message (the server takes the
// startup user), and a verified server signature. A state machine with no I/O; the
// connection layer moves its messages. Portable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "pgwire/random.h"
#include "pgwire/sha256.h"

namespace rapidbyte::pgwire {

inline constexpr std::string_view kScramSha256 = "SCRAM-SHA-256";
/// Iteration counts above this are refused, so a hostile server cannot make us spin.
inline constexpr std::uint32_t kMaxScramIterations = 10'000'000;

/// Prepare a password as PostgreSQL's pg_saslprep does for the cases we support: ASCII and
/// invalid UTF-8 pass through unchanged; other UTF-8 has non-ASCII spaces mapped to U+0020 and
/// "commonly mapped to nothing" characters removed. NFKC normalization is not applied, so a
/// non-ASCII password must already be in NFKC form (true for almost all real passwords).
std::string SaslPrep(std::string_view password);

/// One SCRAM-SHA-256 exchange. Use: client_first_message() -> server-first ->
/// HandleServerFirst() -> client-final -> server-final -> VerifyServerFinal().
/// Not thread-safe; one object per authentication.
class ScramClient {
 public:
  /// Start an exchange with a fresh 18-byte nonce from `random`.
  static Result<ScramClient> Start(std::string_view password, RandomSource& random,
                                   std::string_view user = "",
                                   std::uint32_t max_iterations = kMaxScramIterations);
  /// Start with a given client nonce (RFC test vectors).
  static ScramClient StartWithNonceForTest(std::string_view password, std::string_view nonce,
                                           std::string_view user,
                                           std::uint32_t max_iterations = kMaxScramIterations);

  /// "n,,n=<user>,r=<client nonce>".
  std::string client_first_message() const { return "n,," + client_first_bare_; }

  /// Check the server-first message (nonce prefix, salt, iteration count) and return the
  /// client-final message with the proof. Errors are kUnauthenticated.
  Result<std::string> HandleServerFirst(std::string_view server_first);

  /// Check the server's signature (or its "e=" error). Errors are kUnauthenticated.
  Status VerifyServerFinal(std::string_view server_final) const;

 private:
  ScramClient(std::string password, std::string client_first_bare, std::string nonce,
              std::uint32_t max_iterations)
      : password_(std::move(password)),
        client_first_bare_(std::move(client_first_bare)),
        client_nonce_(std::move(nonce)),
        max_iterations_(max_iterations) {}

  std::string password_;  // after SaslPrep
  std::string client_first_bare_;
  std::string client_nonce_;
  std::uint32_t max_iterations_;
  Sha256Digest server_signature_{};
  bool have_server_first_ = false;
};

}  // namespace rapidbyte::pgwire
