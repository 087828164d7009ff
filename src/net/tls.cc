// TcpConnection's TLS half: an OpenSSL client (TLS 1.2+) over the non-blocking socket, with
// verification per TlsMode, SNI, and reads/writes driven by poll() like the plain socket.
#include <poll.h>

#include <algorithm>
#include <climits>
#include <string>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/net_error.h"
#include "net/tcp_connection.h"
#include "net/tls_internal.h"

namespace rapidbyte::net {

namespace {

// The queued OpenSSL error reasons, or `fallback`; clears the queue.
std::string OpenSslReason(const char* fallback) {
  std::string out;
  while (unsigned long err = ERR_get_error()) {
    const char* reason = ERR_reason_error_string(err);
    if (!out.empty()) out += "; ";
    out += reason != nullptr ? reason : "unknown OpenSSL error";
  }
  return out.empty() ? fallback : out;
}

Status TlsFailed(std::string message) { return NetFailure(kTlsFailed, std::move(message)); }

}  // namespace

Status TcpConnection::StartTls(const TlsOptions& options) {
  if (fd_ < 0) return NetFailure(kConnectionReset, "connection is closed");
  if (tls_ != nullptr) return TlsFailed("TLS is already active");
  ERR_clear_error();
  auto tls = std::make_unique<Tls>();
  tls->ctx = SSL_CTX_new(TLS_client_method());
  if (tls->ctx == nullptr) return TlsFailed("SSL_CTX_new: " + OpenSslReason("failed"));
  SSL_CTX_set_min_proto_version(tls->ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(tls->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  const bool verify = options.mode != TlsMode::kEncryptOnly;
  if (verify) {
    const int loaded = options.ca_file.empty() ? SSL_CTX_set_default_verify_paths(tls->ctx)
                                               : SSL_CTX_load_verify_locations(
                                                     tls->ctx, options.ca_file.c_str(), nullptr);
    if (loaded != 1) {
      return TlsFailed("could not load CA certificates" +
                       (options.ca_file.empty() ? std::string() : " from " + options.ca_file) +
                       ": " + OpenSslReason("unknown reason"));
    }
  }
  SSL_CTX_set_verify(tls->ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  tls->ssl = SSL_new(tls->ctx);
  if (tls->ssl == nullptr || SSL_set_fd(tls->ssl, fd_) != 1) {
    return TlsFailed("SSL_new: " + OpenSslReason("failed"));
  }
  const std::string& name = options.server_name;
  if (!name.empty() && !IsIpLiteral(name)) SSL_set_tlsext_host_name(tls->ssl, name.c_str());
  if (options.mode == TlsMode::kVerifyFull) {
    if (name.empty()) return TlsFailed("verify-full needs a server name");
    X509_VERIFY_PARAM* param = SSL_get0_param(tls->ssl);
    const int ok = IsIpLiteral(name) ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                                     : X509_VERIFY_PARAM_set1_host(param, name.c_str(), 0);
    if (ok != 1) return TlsFailed("invalid server name '" + name + "'");
  }
  const std::int64_t deadline = DeadlineAfter(options.timeout_ms);
  while (true) {
    const int rc = SSL_connect(tls->ssl);
    if (rc == 1) break;
    const int err = SSL_get_error(tls->ssl, rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      RB_RETURN_NOT_OK(Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline));
      continue;
    }
    std::string reason = OpenSslReason("handshake failed");
    const long verify_result = SSL_get_verify_result(tls->ssl);
    if (verify && verify_result != X509_V_OK) {
      reason += std::string(" (") + X509_verify_cert_error_string(verify_result) + ")";
    }
    return TlsFailed("TLS handshake with " + peer_.ToString() + " failed: " + reason);
  }
  tls_ = std::move(tls);
  return Status::OK();
}

Result<std::size_t> TcpConnection::TlsRead(std::span<std::uint8_t> out, std::int64_t deadline) {
  const int want = static_cast<int>(std::min<std::size_t>(out.size(), INT_MAX));
  while (true) {
    ERR_clear_error();
    const int n = SSL_read(tls_->ssl, out.data(), want);
    if (n > 0) return static_cast<std::size_t>(n);
    const int err = SSL_get_error(tls_->ssl, n);
    if (err == SSL_ERROR_ZERO_RETURN) return std::size_t{0};
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      RB_RETURN_NOT_OK(Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline));
      continue;
    }
    return NetFailure(kConnectionReset,
                      "TLS read from " + peer_.ToString() + ": " + OpenSslReason("failed"));
  }
}

Status TcpConnection::TlsWriteAll(std::span<const std::uint8_t> data, std::int64_t deadline) {
  std::size_t done = 0;
  while (done < data.size()) {
    ERR_clear_error();
    const int chunk = static_cast<int>(std::min<std::size_t>(data.size() - done, INT_MAX));
    const int n = SSL_write(tls_->ssl, data.data() + done, chunk);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    const int err = SSL_get_error(tls_->ssl, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      RB_RETURN_NOT_OK(Wait(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline));
      continue;
    }
    return NetFailure(kConnectionReset,
                      "TLS write to " + peer_.ToString() + ": " + OpenSslReason("failed"));
  }
  return Status::OK();
}

void TcpConnection::TlsShutdown() {
  if (tls_ == nullptr) return;
  (void)SSL_shutdown(tls_->ssl);  // one non-blocking attempt at close_notify
  ERR_clear_error();
  tls_.reset();
}

}  // namespace rapidbyte::net
