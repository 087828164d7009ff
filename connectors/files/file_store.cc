// The local-directory FileStore, and FileStore::Make.
#include "connectors/files/file_store.h"

#include "connectors/files/files_target.h"
#include "connectors/files/local_dir.h"
#include "connectors/files/s3_store.h"

namespace rapidbyte::files {
namespace {

using protocol::Json;

class LocalFile final : public StoredFile {
 public:
  LocalFile(std::string name, std::string path) : name_(std::move(name)), path_(std::move(path)) {}
  ~LocalFile() override { Discard(); }
  sdk::Outcome<void> Open() { return file_.Open(path_); }
  sdk::Outcome<void> Write(std::span<const std::uint8_t> bytes) override {
    return file_.Write(bytes);
  }
  sdk::Outcome<Json> Seal() override {
    RB_TRY(file_.Close());
    return Json(name_);
  }
  void Discard() override {
    if (!file_.is_open()) return;
    file_.Discard();
    (void)RemoveFile(path_);
  }

 private:
  std::string name_, path_;
  OutputFile file_;
};

// <path>/<stream>/ holds the visible files, _tmp/ the invisible ones, _rapidbyte/commit.json
// the commit record.
class LocalStore final : public FileStore {
 public:
  explicit LocalStore(std::string root) : root_(std::move(root)) {}

  sdk::Outcome<void> Start(const std::string& stream) override {
    stream_dir_ = root_ + "/" + stream;
    tmp_dir_ = stream_dir_ + "/_tmp";
    meta_dir_ = stream_dir_ + "/_rapidbyte";
    RB_TRY(MakeDirs(tmp_dir_));
    return MakeDirs(meta_dir_);
  }
  sdk::Outcome<std::optional<std::string>> ReadRecord() override {
    return ReadSmallFile(meta_dir_ + "/commit.json");
  }
  sdk::Outcome<void> ReplaceRecord(const std::string& text) override {
    return ReplaceFile(meta_dir_ + "/commit.json", text);
  }
  sdk::Outcome<std::unique_ptr<StoredFile>> Create(const std::string& name) override {
    auto file = std::make_unique<LocalFile>(name, tmp_dir_ + "/" + name);
    RB_TRY(file->Open());
    return std::unique_ptr<StoredFile>(std::move(file));
  }
  sdk::Outcome<void> Publish(const Json& entries) override {
    if (entries.empty()) return {};
    for (const Json& entry : entries) {
      const std::optional<std::string> name = EntryName(entry);
      if (name) RB_TRY(Rename(tmp_dir_ + "/" + *name, stream_dir_ + "/" + *name));
    }
    return SyncDir(stream_dir_);
  }
  sdk::Outcome<void> Recover(const Json& entries) override {
    bool renamed = false;
    for (const Json& entry : entries) {
      const std::optional<std::string> name = EntryName(entry);
      if (!name || !Exists(tmp_dir_ + "/" + *name)) continue;
      RB_TRY(Rename(tmp_dir_ + "/" + *name, stream_dir_ + "/" + *name));
      renamed = true;
    }
    auto leftovers = ListDir(tmp_dir_);
    if (!leftovers.ok()) return leftovers.error();
    for (const std::string& name : *leftovers) RB_TRY(RemoveFile(tmp_dir_ + "/" + name));
    if (renamed) RB_TRY(SyncDir(stream_dir_));
    return {};
  }
  void DiscardSealed(const Json& entry) override {
    if (const std::optional<std::string> name = EntryName(entry)) {
      (void)RemoveFile(tmp_dir_ + "/" + *name);
    }
  }
  sdk::Outcome<void> RemoveOtherRuns(const std::string& keep_run) override {
    auto names = ListDir(stream_dir_);
    if (!names.ok()) return names.error();
    for (const std::string& name : *names) {
      const std::optional<std::string> run = RunOfFileName(name);
      if (run && *run != keep_run) RB_TRY(RemoveFile(stream_dir_ + "/" + name));
    }
    return SyncDir(stream_dir_);
  }
  std::string Describe() const override { return stream_dir_; }

 private:
  std::string root_, stream_dir_, tmp_dir_, meta_dir_;
};

}  // namespace

std::optional<std::string> EntryName(const Json& entry) {
  const Json* name = &entry;
  if (entry.is_object()) name = protocol::GetMember(entry, "name");
  if (name == nullptr || !name->is_string()) return std::nullopt;
  std::string text = name->get<std::string>();
  if (!RunOfFileName(text)) return std::nullopt;
  return text;
}

sdk::Outcome<std::unique_ptr<FileStore>> FileStore::Make(const FilesConfig& config) {
  if (config.s3) return MakeS3Store(config.s3_config);
  return std::unique_ptr<FileStore>(new LocalStore(config.path));
}

}  // namespace rapidbyte::files
