// Tests for the portable crypto used by authentication: published test vectors (FIPS 180-2,
// RFC 1321, RFC 4231, RFC 7914, RFC 4648, RFC 7677) and random cross-checks against OpenSSL.
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include "base/test_util.h"
#include "pgwire/base64.h"
#include "pgwire/md5.h"
#include "pgwire/scram.h"
#include "pgwire/sha256.h"

namespace rapidbyte::pgwire {
namespace {

std::span<const std::uint8_t> B(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Sha256Test, FipsVectors) {
  EXPECT_EQ(HexEncode(Sha256::Hash("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256::Hash("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256::Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 incremental;  // a million 'a', fed in uneven pieces across block boundaries
  const std::string piece(997, 'a');
  std::size_t fed = 0;
  while (fed + piece.size() <= 1000000) {
    incremental.Update(piece);
    fed += piece.size();
  }
  incremental.Update(std::string(1000000 - fed, 'a'));
  EXPECT_EQ(HexEncode(incremental.Finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(HmacSha256Test, Rfc4231Vectors) {
  EXPECT_EQ(HexEncode(HmacSha256Digest(B("Jefe"), B("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const std::string long_key(131, '\xaa');  // longer than a block: hashed first
  EXPECT_EQ(HexEncode(HmacSha256Digest(
                B(long_key), B("Test Using Larger Than Block-Size Key - Hash Key First"))),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Pbkdf2Test, Rfc7914Vectors) {
  EXPECT_EQ(HexEncode(Pbkdf2Sha256(B("passwd"), B("salt"), 1)),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  EXPECT_EQ(HexEncode(Pbkdf2Sha256(B("Password"), B("NaCl"), 80000)),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56");
}

TEST(Md5Test, Rfc1321VectorsAndPasswordResponse) {
  EXPECT_EQ(HexEncode(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexEncode(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexEncode(Md5(std::string(100, 'a'))), "36a92cc94a9e0fa21f625f8bfb007adf");
  const std::uint8_t salt[4] = {1, 2, 3, 4};
  EXPECT_EQ(Md5PasswordResponse("alice", "secret", salt), "md598a0412b9c31436fc53776e863350083");
}

TEST(CryptoTest, MatchesOpenSslOnRandomInputs) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint8_t> data(rng() % 300), key(rng() % 150);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (auto& b : key) b = static_cast<std::uint8_t>(rng());
    std::uint8_t expect[32];
    SHA256(data.data(), data.size(), expect);
    EXPECT_EQ(HexEncode(Sha256::Hash(data)), HexEncode(expect)) << round;
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), expect,
         &len);
    EXPECT_EQ(HexEncode(HmacSha256Digest(key, data)), HexEncode({expect, 32})) << round;
    std::uint8_t md5[16];
    EVP_Digest(data.data(), data.size(), md5, nullptr, EVP_md5(), nullptr);
    EXPECT_EQ(HexEncode(Md5(data)), HexEncode(md5)) << round;
    std::string b64(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), data.data(),
                                  static_cast<int>(data.size()));
    b64.resize(static_cast<std::size_t>(n));
    EXPECT_EQ(Base64Encode(data), b64) << round;
    ASSERT_OK_AND_ASSIGN(auto decoded, Base64Decode(b64));
    EXPECT_EQ(decoded, data) << round;
  }
}

TEST(Base64Test, Rfc4648VectorsAndStrictDecoding) {
  const char* vectors[][2] = {{"", ""},
                              {"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"fooba", "Zm9vYmE="},
                              {"foobar", "Zm9vYmFy"}};
  for (const auto& v : vectors) {
    EXPECT_EQ(Base64Encode(B(v[0])), v[1]);
    ASSERT_OK_AND_ASSIGN(auto decoded, Base64Decode(v[1]));
    EXPECT_EQ(std::string(decoded.begin(), decoded.end()), v[0]);
  }
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zh==", "Zm9v\n", "Zm=v", "====", "Zm9*"}) {
    EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
  }
}

TEST(ScramTest, Rfc7677Exchange) {
  ScramClient client = ScramClient::StartWithNonceForTest("pencil", "rOprNGfwEbeRWgbNEkqO", "user");
  EXPECT_EQ(client.client_first_message(), "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  ASSERT_OK_AND_ASSIGN(
      std::string final_message,
      client.HandleServerFirst("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                               "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
  EXPECT_EQ(final_message,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_OK(client.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
  // One flipped bit in the server signature must fail.
  Status forged = client.VerifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G5=");
  EXPECT_EQ(forged.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(client.VerifyServerFinal("e=invalid-proof").code(), StatusCode::kUnauthenticated);
}

TEST(ScramTest, RejectsHostileServerFirst) {
  const char* bad[] = {
      "r=othernonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",     // nonce not extended
      "r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",            // nonce equal to ours
      "r=abcdef,s=!!!!,i=4096",                             // bad salt
      "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0",            // zero iterations
      "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999",  // absurd iterations
      "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=12x",          // not a number
      "m=ext,r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",   // mandatory extension
      "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==",                // missing i
      "",
  };
  for (const char* message : bad) {
    ScramClient client = ScramClient::StartWithNonceForTest("pw", "abc", "");
    EXPECT_EQ(client.HandleServerFirst(message).status().code(), StatusCode::kUnauthenticated)
        << message;
  }
}

TEST(ScramTest, SaslPrepMapsSpacesAndDropsInvisibleCharacters) {
  EXPECT_EQ(SaslPrep("plain ascii\x01"), "plain ascii\x01");
  EXPECT_EQ(SaslPrep("p\xc2\xa0w"), "p w");  // NO-BREAK SPACE -> space
  EXPECT_EQ(SaslPrep("p\xc2\xad"
                     "w\xe2\x80\x8c"),
            "pw");                                    // soft hyphen, ZWNJ: dropped
  EXPECT_EQ(SaslPrep("p\xe2\x80\x8bw"), "p w");       // U+200B is a space first, as in pg_saslprep
  EXPECT_EQ(SaslPrep("caf\xc3\xa9"), "caf\xc3\xa9");  // already NFKC
  EXPECT_EQ(SaslPrep("\xff\xfe"), "\xff\xfe");        // invalid UTF-8 passes through
}

}  // namespace
}  // namespace rapidbyte::pgwire
