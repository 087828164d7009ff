// Writing a stream's files exactly once on a local directory.
#include "connectors/files/files_target.h"

#include "protocol/json.h"
#include "sdk/error_status.h"
#include "sdk/errors.h"

namespace rapidbyte::files {
namespace {

using protocol::Json;

constexpr const char* kCommitFile = "commit.json";

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
  explicit Sink(OutputFile* file) : file_(file) {}
  Status Append(std::span<const uint8_t> bytes) override {
    return sdk::AsStatus(file_->Write(bytes));
  }

 private:
  OutputFile* file_;
};

FilesTarget::FilesTarget(const FilesConfig& config, const sdk::StreamContext& context)
    : config_(config), context_(context), run_prefix_(std::to_string(context.run_id()) + "-") {}

FilesTarget::~FilesTarget() { Abort(); }

sdk::Outcome<void> FilesTarget::Start() {
  auto name = StreamDirName(context_.stream_name());
  if (!name.ok()) return name.error();
  stream_dir_ = config_.path + "/" + *name;
  tmp_dir_ = stream_dir_ + "/_tmp";
  meta_dir_ = stream_dir_ + "/_rapidbyte";
  RB_TRY(MakeDirs(tmp_dir_));
  return MakeDirs(meta_dir_);
}

// Also the recovery of the last run: publish what the record names and is still in _tmp,
// remove every other leftover, and finish a committed replace.
sdk::Outcome<std::optional<std::string>> FilesTarget::ReadCommitToken() {
  const std::string record_path = meta_dir_ + "/" + kCommitFile;
  auto text = ReadSmallFile(record_path);
  if (!text.ok()) return text.error();
  std::optional<std::string> token;
  std::vector<std::string> publish;
  std::string replace_run;
  if (*text) {
    const std::optional<Json> parsed = protocol::ParseJson(**text);
    const Json* json = parsed ? &*parsed : nullptr;
    const Json* t = json ? protocol::GetMember(*json, "token") : nullptr;
    if (t == nullptr || !t->is_string()) {
      return sdk::DataError("COMMIT_RECORD_INVALID",
                            "'" + record_path + "' is not a dest-files commit record; remove it "
                            "(and the stream's files) to start the stream over");
    }
    token = t->get<std::string>();
    if (const Json* p = protocol::GetMember(*json, "publish"); p && p->is_array()) {
      for (const Json& n : *p) {
        if (n.is_string() && RunOfFileName(n.get<std::string>())) {
          publish.push_back(n.get<std::string>());
        }
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
  bool renamed = false;
  for (const std::string& name : publish) {
    if (!Exists(tmp_dir_ + "/" + name)) continue;
    RB_TRY(Rename(tmp_dir_ + "/" + name, stream_dir_ + "/" + name));
    renamed = true;
  }
  auto leftovers = ListDir(tmp_dir_);
  if (!leftovers.ok()) return leftovers.error();
  for (const std::string& name : *leftovers) RB_TRY(RemoveFile(tmp_dir_ + "/" + name));
  if (!replace_run.empty()) RB_TRY(RemoveOtherRuns(replace_run));
  if (renamed || !replace_run.empty()) RB_TRY(SyncDir(stream_dir_));
  return token;
}

sdk::Outcome<void> FilesTarget::Begin(const arrow::Schema* schema) {
  if (schema != nullptr) schema_ = *schema;
  return {};
}

sdk::Outcome<void> FilesTarget::OpenFile() {
  file_name_ = run_prefix_ + "0-" + std::to_string(next_file_++) +
               Extension(config_.format, config_.compression);
  RB_TRY(file_.Open(tmp_dir_ + "/" + file_name_));
  sink_ = std::make_unique<Sink>(&file_);
  auto writer = FormatWriter::Open(config_, *schema_, sink_.get());
  if (!writer.ok()) return writer.error();
  writer_ = std::move(*writer);
  return {};
}

sdk::Outcome<void> FilesTarget::CloseFile() {
  if (!writer_) return {};
  RB_TRY(writer_->Finish());
  RB_TRY(file_.Close());
  writer_.reset();
  pending_.push_back(file_name_);
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
  Json publish = Json::array();
  for (const std::string& name : pending_) publish.push_back(name);
  Json json{{"version", 1},
            {"token", record.token},
            {"run_id", context_.run_id()},
            {"next_file", next_file_},
            {"records", record.records},
            {"final", record.final},
            {"publish", std::move(publish)}};
  const bool replace = record.final && context_.write_mode() == sdk::WriteMode::kReplace;
  if (replace) json["replace_run"] = std::to_string(context_.run_id());
  if (auto st = ReplaceFile(meta_dir_ + "/" + kCommitFile, protocol::Dump(json)); !st.ok()) {
    return WithCommitState(st.error(), protocol::CommitState::kAfterCommitUnknown);
  }
  // Committed: the files belong to the record now (Abort must not remove them), and what
  // fails from here on is finished by the next run's recovery.
  const std::vector<std::string> publishing = std::move(pending_);
  pending_.clear();
  auto published = Publish(publishing);
  if (published.ok() && replace) published = RemoveOtherRuns(std::to_string(context_.run_id()));
  if (published.ok() && replace) published = SyncDir(stream_dir_);
  if (!published.ok()) {
    return WithCommitState(published.error(), protocol::CommitState::kAfterCommitConfirmed);
  }
  return {};
}

sdk::Outcome<void> FilesTarget::Publish(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  for (const std::string& name : names) {
    RB_TRY(Rename(tmp_dir_ + "/" + name, stream_dir_ + "/" + name));
  }
  return SyncDir(stream_dir_);
}

sdk::Outcome<void> FilesTarget::RemoveOtherRuns(const std::string& keep_run) {
  auto names = ListDir(stream_dir_);
  if (!names.ok()) return names.error();
  for (const std::string& name : *names) {
    const std::optional<std::string> run = RunOfFileName(name);
    if (run && *run != keep_run) RB_TRY(RemoveFile(stream_dir_ + "/" + name));
  }
  return {};
}

void FilesTarget::Abort() {
  writer_.reset();
  if (file_.is_open()) {
    file_.Discard();
    (void)RemoveFile(tmp_dir_ + "/" + file_name_);
  }
  for (const std::string& name : pending_) (void)RemoveFile(tmp_dir_ + "/" + name);
  pending_.clear();
}

std::string FilesTarget::Describe() const {
  return std::string("as ") + FormatName(config_.format) + " (" +
         CompressionName(config_.compression) + ") in " + stream_dir_;
}

}  // namespace rapidbyte::files
