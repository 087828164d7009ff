// Writing a stream's files exactly once, on a local directory or S3.
#include "connectors/files/files_target.h"

#include "protocol/json.h"
#include "sdk/error_status.h"
#include "sdk/errors.h"

namespace rapidbyte::files {
namespace {

using protocol::Json;

// The stream's directory name: the stream name as it is, when it is a safe single path
// component.
sdk::Outcome<std::string> StreamDirName(const std::string& stream) {
  if (stream.empty() || stream == "." || stream == ".." || stream[0] == '_' ||
      stream.find('/') != std::string::npos || stream.find('\0') != std::string::npos) {
    return sdk::ConfigError("stream_name", "'" + stream + "' cannot name a directory (it must "
                                           "not be empty, contain '/' or start with '_')");
  }
  return stream;
}

sdk::ConnectorError WithCommitState(sdk::ConnectorError error, protocol::CommitState state) {
  error.commit_state = state;
  return error;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> RunOfFileName(const std::string& name) {
  const std::size_t dot = name.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string_view stem = std::string_view(name).substr(0, dot);
  const std::size_t a = stem.find('-');
  const std::size_t b = a == std::string_view::npos ? a : stem.find('-', a + 1);
  if (b == std::string_view::npos || !AllDigits(stem.substr(0, a)) ||
      !AllDigits(stem.substr(a + 1, b - a - 1)) || !AllDigits(stem.substr(b + 1))) {
    return std::nullopt;
  }
  return std::string(stem.substr(0, a));
}

// The format writers' output into the open file.
class FilesTarget::Sink final : public parquet::ParquetSink {
 public:
  explicit Sink(StoredFile* file) : file_(file) {}
  Status Append(std::span<const uint8_t> bytes) override {
    return sdk::AsStatus(file_->Write(bytes));
  }

 private:
  StoredFile* file_;
};

FilesTarget::FilesTarget(const FilesConfig& config, const sdk::StreamContext& context)
    : config_(config), context_(context), run_prefix_(std::to_string(context.run_id()) + "-") {}

FilesTarget::~FilesTarget() { Abort(); }

sdk::Outcome<void> FilesTarget::Start() {
  auto name = StreamDirName(context_.stream_name());
  if (!name.ok()) return name.error();
  auto store = FileStore::Make(config_);
  if (!store.ok()) return store.error();
  store_ = std::move(*store);
  return store_->Start(*name);
}

// Also the recovery of the last run: publish what the record names and is still invisible,
// remove every other leftover, and finish a committed replace.
sdk::Outcome<std::optional<std::string>> FilesTarget::ReadCommitToken() {
  auto text = store_->ReadRecord();
  if (!text.ok()) return text.error();
  std::optional<std::string> token;
  Json publish = Json::array();
  std::string replace_run;
  if (*text) {
    const std::optional<Json> parsed = protocol::ParseJson(**text);
    const Json* json = parsed ? &*parsed : nullptr;
    const Json* t = json ? protocol::GetMember(*json, "token") : nullptr;
    if (t == nullptr || !t->is_string()) {
      return sdk::DataError("COMMIT_RECORD_INVALID",
                            "the commit record of " + store_->Describe() +
                                " is not a dest-files commit record; remove it (and the "
                                "stream's files) to start the stream over");
    }
    token = t->get<std::string>();
    if (const Json* p = protocol::GetMember(*json, "publish"); p && p->is_array()) {
      for (const Json& entry : *p) {
        if (EntryName(entry)) publish.push_back(entry);
      }
    }
    if (const Json* r = protocol::GetMember(*json, "replace_run"); r && r->is_string()) {
      replace_run = r->get<std::string>();
    }
    const Json* run = protocol::GetMember(*json, "run_id");
    const Json* next = protocol::GetMember(*json, "next_file");
    if (run && run->is_number_integer() && run->get<std::int64_t>() == context_.run_id() && next &&
        next->is_number_unsigned()) {
      next_file_ = next->get<std::uint64_t>();
    }
  }
  RB_TRY(store_->Recover(publish));
  if (!replace_run.empty()) RB_TRY(store_->RemoveOtherRuns(replace_run));
  return token;
}

sdk::Outcome<void> FilesTarget::Begin(const arrow::Schema* schema) {
  if (schema != nullptr) schema_ = *schema;
  return {};
}

sdk::Outcome<void> FilesTarget::OpenFile() {
  const std::string name = run_prefix_ + "0-" + std::to_string(next_file_++) +
                           Extension(config_.format, config_.compression);
  auto file = store_->Create(name);
  if (!file.ok()) return file.error();
  file_ = std::move(*file);
  sink_ = std::make_unique<Sink>(file_.get());
  auto writer = FormatWriter::Open(config_, *schema_, sink_.get());
  if (!writer.ok()) return writer.error();
  writer_ = std::move(*writer);
  return {};
}

sdk::Outcome<void> FilesTarget::CloseFile() {
  if (!writer_) return {};
  RB_TRY(writer_->Finish());
  auto entry = file_->Seal();
  if (!entry.ok()) return entry.error();
  writer_.reset();
  sink_.reset();
  file_.reset();
  pending_.push_back(std::move(*entry));
  return {};
}

sdk::Outcome<std::uint64_t> FilesTarget::Append(std::span<const arrow::RecordBatch> batches) {
  if (!schema_) return sdk::InternalError("PROTOCOL_VIOLATION", "Append before Begin");
  // In slices, so that a file rolls over close to file_size even when one frame holds
  // more than a file's worth of rows.
  constexpr std::int64_t kSliceRows = 8192;
  for (const arrow::RecordBatch& batch : batches) {
    for (std::int64_t start = 0; start < batch.num_rows(); start += kSliceRows) {
      if (!writer_) RB_TRY(OpenFile());
      if (start == 0 && batch.num_rows() <= kSliceRows) {
        RB_TRY(writer_->Write(batch));
      } else {
        RB_TRY(writer_->Write(batch.Slice(start, kSliceRows)));
      }
      if (writer_->size() >= config_.file_size) RB_TRY(CloseFile());
    }
  }
  return std::uint64_t{0};
}

sdk::Outcome<void> FilesTarget::Commit(const sdk::CommitRecord& record) {
  RB_TRY(CloseFile());
  Json json{{"version", 1},
            {"token", record.token},
            {"run_id", context_.run_id()},
            {"next_file", next_file_},
            {"records", record.records},
            {"final", record.final},
            {"publish", pending_}};
  const bool replace = record.final && context_.write_mode() == sdk::WriteMode::kReplace;
  if (replace) json["replace_run"] = std::to_string(context_.run_id());
  if (auto st = store_->ReplaceRecord(protocol::Dump(json)); !st.ok()) {
    return WithCommitState(st.error(), protocol::CommitState::kAfterCommitUnknown);
  }
  // Committed: the files belong to the record now (Abort must not remove them), and what
  // fails from here on is finished by the next run's recovery.
  const Json publishing = std::move(pending_);
  pending_ = Json::array();
  auto published = store_->Publish(publishing);
  if (published.ok() && replace) {
    published = store_->RemoveOtherRuns(std::to_string(context_.run_id()));
  }
  if (!published.ok()) {
    return WithCommitState(published.error(), protocol::CommitState::kAfterCommitConfirmed);
  }
  return {};
}

void FilesTarget::Abort() {
  writer_.reset();
  sink_.reset();
  if (file_) file_->Discard();
  file_.reset();
  if (store_) {
    for (const Json& entry : pending_) store_->DiscardSealed(entry);
  }
  pending_ = Json::array();
}

std::string FilesTarget::Describe() const {
  return std::string("as ") + FormatName(config_.format) + " (" +
         CompressionName(config_.compression) + ") in " +
         (store_ ? store_->Describe() : config_.path);
}

}  // namespace rapidbyte::files
