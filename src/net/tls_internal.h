// The OpenSSL state behind TcpConnection::Tls, shared by tcp_connection.cc and tls.cc so that
// both see a complete type. Private to src/net. [host]
#pragma once

#include <openssl/ssl.h>

#include "net/tcp_connection.h"

namespace rapidbyte::net {

struct TcpConnection::Tls {
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;

  Tls() = default;
  Tls(const Tls&) = delete;
  Tls& operator=(const Tls&) = delete;
  ~Tls() {
    if (ssl != nullptr) SSL_free(ssl);
    if (ctx != nullptr) SSL_CTX_free(ctx);
  }
};

}  // namespace rapidbyte::net
