// SCRAM-SHA-256 client messages and proofs.
#include "pgwire/scram.h"

#include <span>

#include "base/utf8.h"
#include "pgwire/base64.h"

namespace rapidbyte::pgwire {
namespace {

std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Status ScramError(std::string message) {
  return Status::Unauthenticated("SCRAM-SHA-256 authentication failed: " + message);
}

// Split "a=..,b=..,..." into attributes; values may contain '=' but not ','.
struct Attribute {
  char name;
  std::string_view value;
};

Result<std::vector<Attribute>> SplitAttributes(std::string_view message) {
  std::vector<Attribute> out;
  std::size_t pos = 0;
  while (pos <= message.size()) {
    std::size_t comma = message.find(',', pos);
    if (comma == std::string_view::npos) comma = message.size();
    const std::string_view part = message.substr(pos, comma - pos);
    if (part.size() < 2 || part[1] != '=')
      return ScramError("malformed attribute in server message");
    out.push_back({part[0], part.substr(2)});
    pos = comma + 1;
  }
  return out;
}

bool IsPrintableNonce(std::string_view nonce) {
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return !nonce.empty();
}

// Escape a SCRAM user name: ',' -> "=2C", '=' -> "=3D".
std::string EscapeUser(std::string_view user) {
  std::string out;
  for (char c : user) {
    if (c == ',')
      out += "=2C";
    else if (c == '=')
      out += "=3D";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string SaslPrep(std::string_view password) {
  bool ascii = true;
  for (unsigned char c : password) ascii = ascii && c < 0x80;
  if (ascii || !IsValidUtf8(password)) return std::string(password);
  std::string out;
  for (std::size_t i = 0; i < password.size();) {
    const auto c = static_cast<unsigned char>(password[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    const std::string_view ch = password.substr(i, len);
    i += len;
    // RFC 3454 C.1.2 non-ASCII spaces -> U+0020.
    if (ch == "\xc2\xa0" || ch == "\xe1\x9a\x80" || ch == "\xe2\x80\xaf" || ch == "\xe2\x81\x9f" ||
        ch == "\xe3\x80\x80" ||
        (ch.size() == 3 && ch[0] == '\xe2' && ch[1] == '\x80' &&
         static_cast<unsigned char>(ch[2]) >= 0x80 && static_cast<unsigned char>(ch[2]) <= 0x8b)) {
      out.push_back(' ');
      continue;
    }
    // RFC 3454 B.1 "commonly mapped to nothing" (soft hyphen, zero-width characters, ...).
    if (ch == "\xc2\xad" || ch == "\xe1\xa0\x86" || ch == "\xe2\x80\x8b" || ch == "\xe2\x80\x8c" ||
        ch == "\xe2\x80\x8d" || ch == "\xe2\x81\xa0" || ch == "\xef\xbb\xbf" || ch == "\xcd\x8f" ||
        (ch.size() == 3 && ch[0] == '\xef' && ch[1] == '\xb8' &&
         static_cast<unsigned char>(ch[2]) >= 0x80 && static_cast<unsigned char>(ch[2]) <= 0x8f)) {
      continue;
    }
    out.append(ch);
  }
  return out;
}

Result<ScramClient> ScramClient::Start(std::string_view password, RandomSource& random,
                                       std::string_view user, std::uint32_t max_iterations) {
  std::uint8_t raw[18];
  RB_RETURN_NOT_OK(random.Fill(raw));
  return StartWithNonceForTest(password, Base64Encode(raw), user, max_iterations);
}

ScramClient ScramClient::StartWithNonceForTest(std::string_view password, std::string_view nonce,
                                               std::string_view user,
                                               std::uint32_t max_iterations) {
  std::string bare = "n=" + EscapeUser(user) + ",r=" + std::string(nonce);
  return ScramClient(SaslPrep(password), std::move(bare), std::string(nonce), max_iterations);
}

Result<std::string> ScramClient::HandleServerFirst(std::string_view server_first) {
  if (have_server_first_) return ScramError("unexpected second server-first message");
  RB_ASSIGN_OR_RETURN(std::vector<Attribute> attrs, SplitAttributes(server_first));
  if (attrs.size() < 3 || attrs[0].name != 'r' || attrs[1].name != 's' || attrs[2].name != 'i') {
    return ScramError("server-first message must start with r=, s=, i=");
  }
  const std::string_view nonce = attrs[0].value;
  if (nonce.size() <= client_nonce_.size() ||
      nonce.substr(0, client_nonce_.size()) != client_nonce_ || !IsPrintableNonce(nonce)) {
    return ScramError("server nonce does not extend the client nonce");
  }
  auto salt = Base64Decode(attrs[1].value);
  if (!salt.ok() || salt->empty()) return ScramError("invalid salt");
  std::uint64_t iterations = 0;
  const std::string_view iter_text = attrs[2].value;
  if (iter_text.empty() || iter_text.size() > 10) return ScramError("invalid iteration count");
  for (char c : iter_text) {
    if (c < '0' || c > '9') return ScramError("invalid iteration count");
    iterations = iterations * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (iterations == 0 || iterations > max_iterations_) {
    return ScramError("iteration count " + std::string(iter_text) + " is out of range");
  }

  const Sha256Digest salted =
      Pbkdf2Sha256(AsBytes(password_), *salt, static_cast<std::uint32_t>(iterations));
  const HmacSha256 salted_hmac(salted);
  const Sha256Digest client_key = salted_hmac.Compute(std::string_view("Client Key"));
  const Sha256Digest server_key = salted_hmac.Compute(std::string_view("Server Key"));
  const Sha256Digest stored_key = Sha256::Hash(client_key);

  const std::string without_proof = "c=biws,r=" + std::string(nonce);
  const std::string auth_message =
      client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
  const Sha256Digest client_signature = HmacSha256Digest(stored_key, AsBytes(auth_message));
  Sha256Digest proof;
  for (std::size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ client_signature[i];
  server_signature_ = HmacSha256Digest(server_key, AsBytes(auth_message));
  have_server_first_ = true;
  return without_proof + ",p=" + Base64Encode(proof);
}

Status ScramClient::VerifyServerFinal(std::string_view server_final) const {
  if (!have_server_first_) return ScramError("server-final before server-first");
  RB_ASSIGN_OR_RETURN(std::vector<Attribute> attrs, SplitAttributes(server_final));
  if (attrs[0].name == 'e') return ScramError("server reported " + std::string(attrs[0].value));
  if (attrs[0].name != 'v') return ScramError("server-final message must start with v=");
  auto signature = Base64Decode(attrs[0].value);
  if (!signature.ok() || signature->size() != server_signature_.size()) {
    return ScramError("invalid server signature");
  }
  std::uint8_t diff = 0;  // constant-time comparison
  for (std::size_t i = 0; i < server_signature_.size(); ++i) {
    diff |= static_cast<std::uint8_t>((*signature)[i] ^ server_signature_[i]);
  }
  if (diff != 0) return ScramError("server signature does not match (wrong server or password)");
  return Status::OK();
}

}  // namespace rapidbyte::pgwire
