// A throwaway certificate authority for TLS tests: a self-signed certificate for 127.0.0.1 (subject
// alternative name IP:127.0.0.1, so hostname verification passes) and its key, written as PEM files.
// Made fresh by each test with OpenSSL; nothing is committed.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace fortress::testing {

struct TestCertificate {
  std::filesystem::path certificate;  // PEM: also the CA bundle that trusts it
  std::filesystem::path key;
};

// Returns paths in `dir`, or empty paths when OpenSSL failed.
inline TestCertificate make_test_certificate(const std::filesystem::path& dir) {
  TestCertificate out;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) return out;
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("fortress test CA"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (ext == nullptr) return out;
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return out;
  std::filesystem::create_directories(dir);
  const auto cert_path = dir / "test-ca.pem";
  const auto key_path = dir / "test-key.pem";
  FILE* f = std::fopen(cert_path.c_str(), "w");
  if (f == nullptr) return out;
  PEM_write_X509(f, cert.get());
  std::fclose(f);
  f = std::fopen(key_path.c_str(), "w");
  if (f == nullptr) return out;
  PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  out.certificate = cert_path;
  out.key = key_path;
  return out;
}

}  // namespace fortress::testing
