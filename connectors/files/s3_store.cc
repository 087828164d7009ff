// dest-files on S3: multipart uploads completed after the commit record names them.
#include "connectors/files/s3_store.h"

#include <time.h>

#include <algorithm>

#include "connectors/files/files_target.h"
#include "pgwire/error_mapping.h"
#include "s3/client.h"
#include "s3/errors.h"
#include "s3/multipart_uploader.h"
#include "sdk/error_status.h"
#include "sdk/errors.h"
#include "sdk/host.h"
#include "sdk/host_stream.h"

namespace rapidbyte::files {
namespace {

using protocol::Json;

constexpr int kConnectTimeoutMs = 10000;
constexpr std::size_t kMaxRecordBytes = std::size_t{64} << 20;

// Sleep through WASI (nanosleep is poll_oneoff in wasi-libc), a tenth of a second at a time,
// stopping when the attempt is cancelled.
Status SleepMs(int milliseconds) {
  while (milliseconds > 0) {
    if (sdk::host::IsCancelled()) return Status::Cancelled("cancelled while waiting to retry");
    const int step = std::min(milliseconds, 100);
    timespec ts{step / 1000, static_cast<long>(step % 1000) * 1000000L};
    nanosleep(&ts, nullptr);
    milliseconds -= step;
  }
  return sdk::host::IsCancelled() ? Status::Cancelled("cancelled while waiting to retry")
                                  : Status::OK();
}

sdk::Outcome<std::unique_ptr<s3::S3Client>> MakeClient(const S3Config& config) {
  s3::S3Options options;
  options.endpoint = config.endpoint;
  options.region = config.region;
  options.credentials.access_key_id = config.access_key_id;
  options.credentials.secret_access_key = config.secret_access_key;
  options.path_style = config.path_style;
  options.connect = [](const std::string& host,
                       std::uint16_t port) -> Result<std::unique_ptr<pgwire::ByteStream>> {
    auto stream = sdk::HostStream::Connect(host, port, kConnectTimeoutMs);
    if (!stream.ok()) return stream.status();
    return std::unique_ptr<pgwire::ByteStream>(std::move(*stream));
  };
  options.sleep = SleepMs;
  auto client = s3::S3Client::Make(std::move(options));
  if (!client.ok()) return sdk::ConfigError("config.s3", client.status().message());
  return std::move(*client);
}

class S3File final : public StoredFile {
 public:
  S3File(std::string name, std::unique_ptr<s3::MultipartUploader> upload)
      : name_(std::move(name)), upload_(std::move(upload)) {}
  ~S3File() override { Discard(); }
  sdk::Outcome<void> Write(std::span<const std::uint8_t> bytes) override {
    const Status st = upload_->Append(bytes);
    if (!st.ok()) return S3ErrorOf(st);
    return {};
  }
  sdk::Outcome<Json> Seal() override {
    if (const Status st = upload_->Seal(); !st.ok()) return S3ErrorOf(st);
    sealed_ = true;
    Json parts = Json::array();
    for (const s3::CompletedPart& part : upload_->parts()) {
      parts.push_back(Json{{"number", part.part_number}, {"etag", part.etag}});
    }
    return Json{{"name", name_}, {"upload_id", upload_->upload_id()}, {"parts", std::move(parts)}};
  }
  void Discard() override {
    if (sealed_ || discarded_) return;
    discarded_ = true;
    (void)upload_->Abort();
  }

 private:
  std::string name_;
  std::unique_ptr<s3::MultipartUploader> upload_;
  bool sealed_ = false, discarded_ = false;
};

class S3Store final : public FileStore {
 public:
  S3Store(const S3Config& config, std::unique_ptr<s3::S3Client> client)
      : config_(config), client_(std::move(client)) {}

  sdk::Outcome<void> Start(const std::string& stream) override {
    base_ = (config_.prefix.empty() ? "" : config_.prefix + "/") + stream + "/";
    record_key_ = base_ + "_rapidbyte/commit.json";
    return {};
  }
  sdk::Outcome<std::optional<std::string>> ReadRecord() override {
    auto body = client_->GetObject(config_.bucket, record_key_, kMaxRecordBytes);
    if (!body.ok()) {
      if (s3::ErrorCode(body.status()) == s3::kCodeObjectNotFound) {
        return std::optional<std::string>();
      }
      return S3ErrorOf(body.status());
    }
    return std::optional<std::string>(std::string(body->begin(), body->end()));
  }
  sdk::Outcome<void> ReplaceRecord(const std::string& text) override {
    const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    auto put = client_->PutObject(config_.bucket, record_key_, bytes);
    if (!put.ok()) return S3ErrorOf(put.status());
    return {};
  }
  sdk::Outcome<std::unique_ptr<StoredFile>> Create(const std::string& name) override {
    auto upload = s3::MultipartUploader::Make(client_.get(), config_.bucket, base_ + name,
                                              s3::kDefaultPartSize);
    if (!upload.ok()) return S3ErrorOf(upload.status());
    return std::unique_ptr<StoredFile>(new S3File(name, std::move(*upload)));
  }
  sdk::Outcome<void> Publish(const Json& entries) override {
    for (const Json& entry : entries) RB_TRY(CompleteEntry(entry, false));
    return {};
  }
  sdk::Outcome<void> Recover(const Json& entries) override {
    for (const Json& entry : entries) RB_TRY(CompleteEntry(entry, true));
    // Every upload still open under the stream is a leftover: the record's are complete.
    auto uploads = client_->ListAllMultipartUploads(config_.bucket, base_);
    if (!uploads.ok()) return S3ErrorOf(uploads.status());
    for (const s3::UploadInfo& upload : *uploads) {
      const Status st = client_->AbortMultipartUpload(config_.bucket, upload.key, upload.upload_id);
      if (!st.ok() && s3::ErrorCode(st) != s3::kCodeUploadNotFound) return S3ErrorOf(st);
    }
    return {};
  }
  void DiscardSealed(const Json& entry) override {
    const std::optional<std::string> name = EntryName(entry);
    const Json* id = protocol::GetMember(entry, "upload_id");
    if (!name || id == nullptr || !id->is_string()) return;
    (void)client_->AbortMultipartUpload(config_.bucket, base_ + *name, id->get<std::string>());
  }
  sdk::Outcome<void> RemoveOtherRuns(const std::string& keep_run) override {
    auto objects = client_->ListAllObjects(config_.bucket, base_);
    if (!objects.ok()) return S3ErrorOf(objects.status());
    for (const s3::ObjectInfo& object : *objects) {
      const std::string name = object.key.substr(base_.size());
      if (name.find('/') != std::string::npos) continue;
      const std::optional<std::string> run = RunOfFileName(name);
      if (!run || *run == keep_run) continue;
      if (const Status st = client_->DeleteObject(config_.bucket, object.key); !st.ok()) {
        return S3ErrorOf(st);
      }
    }
    return {};
  }
  std::string Describe() const override {
    return "s3://" + config_.bucket + "/" + base_ + " at " + config_.endpoint;
  }

 private:
  // Whether `key` is an object (visible: its upload was completed).
  sdk::Outcome<bool> Exists(const std::string& key) {
    auto page = client_->ListObjectsV2(config_.bucket, key, {}, 1);
    if (!page.ok()) return S3ErrorOf(page.status());
    return !page->objects.empty() && page->objects.front().key == key;
  }

  // Complete the upload an entry names. In recovery the record usually names the last
  // commit's files, published long since: an object that exists is done (completing its
  // upload again is an error on S3 and on s3rver), and an upload that no longer exists
  // without its object is lost (an error).
  sdk::Outcome<void> CompleteEntry(const Json& entry, bool recovering) {
    const std::optional<std::string> name = EntryName(entry);
    const Json* id = entry.is_object() ? protocol::GetMember(entry, "upload_id") : nullptr;
    const Json* parts = entry.is_object() ? protocol::GetMember(entry, "parts") : nullptr;
    if (!name || id == nullptr || !id->is_string() || parts == nullptr || !parts->is_array()) {
      return sdk::DataError("COMMIT_RECORD_INVALID",
                            "s3://" + config_.bucket + "/" + record_key_ +
                                " names a file without its upload; remove the record (and the "
                                "stream's objects) to start the stream over");
    }
    std::vector<s3::CompletedPart> completed;
    for (const Json& part : *parts) {
      const Json* number = protocol::GetMember(part, "number");
      const Json* etag = protocol::GetMember(part, "etag");
      if (number == nullptr || !number->is_number_integer() || etag == nullptr ||
          !etag->is_string()) {
        continue;
      }
      completed.push_back({number->get<int>(), etag->get<std::string>()});
    }
    const std::string key = base_ + *name;
    if (recovering) {
      auto done = Exists(key);
      if (!done.ok()) return done.error();
      if (done.value()) return {};
    }
    const Status st =
        client_->CompleteMultipartUpload(config_.bucket, key, id->get<std::string>(), completed);
    if (st.ok()) return {};
    if (!recovering || s3::ErrorCode(st) != s3::kCodeUploadNotFound) return S3ErrorOf(st);
    auto done = Exists(key);  // completed since we looked
    if (!done.ok()) return done.error();
    if (done.value()) return {};
    return sdk::DataError("COMMITTED_FILE_LOST",
                          "s3://" + config_.bucket + "/" + key + " is named by the commit record "
                          "but neither its upload nor the object exists (at " +
                              config_.endpoint + ")");
  }

  const S3Config& config_;
  std::unique_ptr<s3::S3Client> client_;
  std::string base_, record_key_;
};

}  // namespace

sdk::ConnectorError S3ErrorOf(const Status& status) {
  if (const sdk::ConnectorError* error = sdk::ErrorOf(status)) return *error;
  if (const pgwire::ClientError* client = pgwire::GetClientError(status)) {
    return sdk::ConnectorError::Make(client->category(), client->code(), status.message());
  }
  if (status.code() == StatusCode::kCancelled) {
    return sdk::InternalError("CANCELLED", status.message());
  }
  return sdk::InternalError(std::string(s3::kCodeRequestFailed), status.message());
}

sdk::Outcome<std::unique_ptr<FileStore>> MakeS3Store(const S3Config& config) {
  auto client = MakeClient(config);
  if (!client.ok()) return client.error();
  return std::unique_ptr<FileStore>(new S3Store(config, std::move(*client)));
}

sdk::Outcome<void> CheckS3Bucket(const S3Config& config) {
  auto client = MakeClient(config);
  if (!client.ok()) return client.error();
  if (const Status st = (*client)->HeadBucket(config.bucket); !st.ok()) return S3ErrorOf(st);
  return {};
}

}  // namespace rapidbyte::files
