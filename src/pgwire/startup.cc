// Connection start-up: SSLRequest per sslmode, StartupMessage, authentication (trust,
// cleartext, MD5, SCRAM-SHA-256) and the wait for the first ReadyForQuery.
#include <string>

#include "pgwire/connection.h"
#include "pgwire/error_mapping.h"
#include "pgwire/md5.h"
#include "pgwire/scram.h"

namespace rapidbyte::pgwire {
namespace {

std::string_view SslModeName(SslMode mode) {
  switch (mode) {
    case SslMode::kDisable:
      return "disable";
    case SslMode::kPrefer:
      return "prefer";
    case SslMode::kRequire:
      return "require";
    case SslMode::kVerifyCa:
      return "verify-ca";
    case SslMode::kVerifyFull:
      return "verify-full";
    default:
      return "unknown";
  }
}

std::string AuthMethodName(std::int32_t code) {
  switch (static_cast<AuthCode>(code)) {
    case AuthCode::kKerberosV5:
      return "Kerberos V5";
    case AuthCode::kGss:
    case AuthCode::kGssContinue:
      return "GSSAPI";
    case AuthCode::kSspi:
      return "SSPI";
    default:
      return "with code " + std::to_string(code);
  }
}

Status AuthFailed(std::string message) {
  return ClientFailure(ErrorCategory::kAuth, kCodeAuthFailed, std::move(message));
}

Status Unexpected(const Frame& frame, const char* during) {
  return ProtocolError(std::string("unexpected message type '") + frame.type + "' during " +
                       during);
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Connect(std::unique_ptr<ByteStream> stream,
                                                        ConnectOptions options) {
  if (stream == nullptr) return Status::InvalidArgument("Connect needs a stream");
  if (options.user.empty()) return Status::InvalidArgument("user is required");
  std::unique_ptr<Connection> conn(new Connection(std::move(stream), std::move(options)));
  Status s = conn->NegotiateTls();
  if (s.ok()) s = conn->Startup();
  if (s.ok()) s = conn->Authenticate();
  if (s.ok()) s = conn->AwaitReady();
  if (!s.ok()) {
    conn->broken_ = true;
    (void)conn->Terminate();
    return s;
  }
  return conn;
}

Status Connection::NegotiateTls() {
  const SslMode mode = options_.sslmode;
  if (mode == SslMode::kDisable) return Status::OK();
  EncodeSslRequest(&out_);
  RB_RETURN_NOT_OK(Flush(options_.connect_timeout_ms));
  // Read exactly one byte: anything the server sent after it would be unencrypted data
  // injected ahead of the handshake (CVE-2021-23222), so nothing may be buffered.
  std::uint8_t answer = 0;
  RB_ASSIGN_OR_RETURN(std::size_t n, stream_->Read(std::span<std::uint8_t>(&answer, 1),
                                                   options_.connect_timeout_ms));
  if (n == 0) {
    return ClientFailure(ErrorCategory::kTransientNetwork, kCodeConnectionLost,
                         "server closed the connection during SSL negotiation");
  }
  if (answer == 'N') {
    if (mode == SslMode::kPrefer) return Status::OK();
    return ClientFailure(
        ErrorCategory::kConfig, kCodeTlsFailed,
        "server does not support SSL, but sslmode is " + std::string(SslModeName(mode)));
  }
  if (answer != 'S') {
    return ProtocolError("unexpected answer " + std::to_string(answer) + " to SSLRequest");
  }
  TlsParams params;
  params.verify = mode == SslMode::kVerifyFull ? TlsVerify::kVerifyFull
                  : mode == SslMode::kVerifyCa ? TlsVerify::kVerifyChain
                                               : TlsVerify::kEncryptOnly;
  params.ca_file = options_.sslrootcert;
  params.server_name = options_.server_name;
  Status tls = stream_->StartTls(params, options_.connect_timeout_ms);
  if (!tls.ok()) {
    if (GetClientError(tls) != nullptr) return tls;
    return ClientFailure(ErrorCategory::kConfig, kCodeTlsFailed,
                         "TLS handshake failed: " + tls.message());
  }
  tls_active_ = true;
  return Status::OK();
}

Status Connection::Startup() {
  StartupParams params = {{"user", options_.user}};
  if (!options_.database.empty()) params.emplace_back("database", options_.database);
  if (options_.replication) params.emplace_back("replication", "database");
  for (const auto& p : options_.parameters) params.push_back(p);
  RB_RETURN_NOT_OK(EncodeStartup(params, &out_));
  return Flush(options_.connect_timeout_ms);
}

Status Connection::SendPasswordMessage(std::string_view password) {
  RB_RETURN_NOT_OK(EncodePassword(password, &out_));
  return Flush(options_.connect_timeout_ms);
}

Status Connection::Authenticate() {
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, ReadFrame(options_.connect_timeout_ms));
    if (frame.type == 'E') return MakeServerError(frame.body);
    if (frame.type == 'N') {
      bool handled = false;
      RB_RETURN_NOT_OK(HandleAsync(frame, &handled));
      continue;
    }
    if (frame.type == 'v') continue;  // NegotiateProtocolVersion: we request no options
    if (frame.type != 'R') return Unexpected(frame, "authentication");
    RB_ASSIGN_OR_RETURN(AuthenticationMsg auth, ParseAuthentication(frame.body));
    switch (static_cast<AuthCode>(auth.code)) {
      case AuthCode::kOk:
        return Status::OK();
      case AuthCode::kCleartextPassword:
        if (options_.password.empty()) return AuthFailed("the server requires a password");
        RB_RETURN_NOT_OK(SendPasswordMessage(options_.password));
        break;
      case AuthCode::kMd5Password:
        if (options_.password.empty()) return AuthFailed("the server requires a password");
        RB_RETURN_NOT_OK(
            SendPasswordMessage(Md5PasswordResponse(options_.user, options_.password, auth.data)));
        break;
      case AuthCode::kSasl:
        RB_RETURN_NOT_OK(AuthenticateSasl(auth.data));
        break;
      default:
        return AuthFailed("authentication method " + AuthMethodName(auth.code) +
                          " is not supported");
    }
  }
}

Status Connection::AuthenticateSasl(Bytes mechanisms) {
  RB_ASSIGN_OR_RETURN(std::vector<std::string_view> names, ParseSaslMechanisms(mechanisms));
  bool scram = false;
  for (std::string_view name : names) scram = scram || name == kScramSha256;
  if (!scram) {
    return AuthFailed("authentication method SASL (" +
                      std::string(names.empty() ? "none" : names.front()) + ") is not supported");
  }
  if (options_.password.empty()) return AuthFailed("the server requires a password");
  RandomSource& random = options_.random != nullptr ? *options_.random : SystemRandom();
  RB_ASSIGN_OR_RETURN(ScramClient scram_client, ScramClient::Start(options_.password, random, "",
                                                                   options_.max_scram_iterations));
  RB_RETURN_NOT_OK(
      EncodeSaslInitialResponse(kScramSha256, scram_client.client_first_message(), &out_));
  RB_RETURN_NOT_OK(Flush(options_.connect_timeout_ms));

  // server-first -> client-final -> server-final; then the caller's loop sees AuthenticationOk.
  for (std::int32_t expected : {static_cast<std::int32_t>(AuthCode::kSaslContinue),
                                static_cast<std::int32_t>(AuthCode::kSaslFinal)}) {
    RB_ASSIGN_OR_RETURN(Frame frame, ReadFrame(options_.connect_timeout_ms));
    if (frame.type == 'E') return MakeServerError(frame.body);
    if (frame.type != 'R') return Unexpected(frame, "SCRAM authentication");
    RB_ASSIGN_OR_RETURN(AuthenticationMsg auth, ParseAuthentication(frame.body));
    if (auth.code != expected) {
      return ProtocolError("unexpected authentication code " + std::to_string(auth.code) +
                           " during SCRAM");
    }
    const std::string_view data(reinterpret_cast<const char*>(auth.data.data()), auth.data.size());
    if (expected == static_cast<std::int32_t>(AuthCode::kSaslContinue)) {
      auto final_message = scram_client.HandleServerFirst(data);
      if (!final_message.ok()) return AuthFailed(final_message.status().message());
      RB_RETURN_NOT_OK(EncodeSaslResponse(*final_message, &out_));
      RB_RETURN_NOT_OK(Flush(options_.connect_timeout_ms));
    } else {
      Status verified = scram_client.VerifyServerFinal(data);
      if (!verified.ok()) return AuthFailed(verified.message());
    }
  }
  return Status::OK();
}

Status Connection::AwaitReady() {
  while (true) {
    RB_ASSIGN_OR_RETURN(Frame frame, ReadFrame(options_.connect_timeout_ms));
    bool handled = false;
    RB_RETURN_NOT_OK(HandleAsync(frame, &handled));
    if (handled) continue;
    switch (frame.type) {
      case 'K': {
        RB_ASSIGN_OR_RETURN(BackendMessage msg, ParseBackendMessage(frame));
        const auto& key = std::get<BackendKeyDataMsg>(msg);
        key_ = BackendKey{key.process_id, key.secret_key};
        break;
      }
      case 'Z': {
        RB_ASSIGN_OR_RETURN(ReadyForQueryMsg rfq, ParseReadyForQuery(frame.body));
        txn_status_ = rfq.status;
        return Status::OK();
      }
      case 'E':
        return MakeServerError(frame.body);
      default:
        return Unexpected(frame, "start-up");
    }
  }
}

}  // namespace rapidbyte::pgwire
