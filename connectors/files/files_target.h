// FilesTarget: the WriteTarget of dest-files (SPEC §16.2), on a local directory or S3 (a
// FileStore). A stream's files are written invisibly (local: <path>/<stream>/_tmp/; S3: open
// multipart uploads) and made visible at commit. The commit record
// <stream>/_rapidbyte/commit.json is replaced first, naming the token and the files this
// commit publishes; then the files are published (renamed into place; uploads completed). A
// crash between the two is finished by the next run (it publishes what the record names and
// removes every other leftover), so a committed row is visible exactly once and no
// uncommitted row ever is. See docs/connectors/dest-files.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/files/files_config.h"
#include "connectors/files/format_writer.h"
#include "connectors/files/file_store.h"
#include "sdk/stream_context.h"
#include "sdk/write_session.h"

namespace rapidbyte::files {

class FilesTarget final : public sdk::WriteTarget {
 public:
  FilesTarget(const FilesConfig& config, const sdk::StreamContext& context);
  ~FilesTarget() override;

  sdk::Outcome<void> Start() override;
  sdk::Outcome<std::optional<std::string>> ReadCommitToken() override;
  sdk::Outcome<void> Begin(const arrow::Schema* schema) override;
  sdk::Outcome<std::uint64_t> Append(std::span<const arrow::RecordBatch> batches) override;
  sdk::Outcome<void> Commit(const sdk::CommitRecord& record) override;
  void Abort() override;
  std::string Describe() const override;

 private:
  class Sink;
  sdk::Outcome<void> OpenFile();
  sdk::Outcome<void> CloseFile();

  const FilesConfig& config_;
  const sdk::StreamContext& context_;
  std::unique_ptr<FileStore> store_;
  std::string run_prefix_;
  std::optional<arrow::Schema> schema_;
  std::uint64_t next_file_ = 0;
  std::unique_ptr<StoredFile> file_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<FormatWriter> writer_;
  protocol::Json pending_ = protocol::Json::array();  // sealed, for the next commit to publish
};

/// Whether `name` is a data file dest-files wrote (<run>-<partition>-<n>.<ext>), and its run.
std::optional<std::string> RunOfFileName(const std::string& name);

}  // namespace rapidbyte::files
