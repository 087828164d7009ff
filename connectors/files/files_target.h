// FilesTarget: the WriteTarget of dest-files on a local directory (SPEC §16.2). A stream's
// files live in <path>/<stream>/; they are written in <path>/<stream>/_tmp/ and made visible
// at commit. The commit record <path>/<stream>/_rapidbyte/commit.json is replaced first,
// naming the token and the files this commit publishes; then the files are renamed into
// place. A crash between the two is finished by the next run (it renames what the record
// names and deletes every other leftover), so a committed row is visible exactly once and no
// uncommitted row ever is. See docs/connectors/dest-files.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/files/files_config.h"
#include "connectors/files/format_writer.h"
#include "connectors/files/local_dir.h"
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
  sdk::Outcome<void> Publish(const std::vector<std::string>& names);
  sdk::Outcome<void> RemoveOtherRuns(const std::string& keep_run);

  const FilesConfig& config_;
  const sdk::StreamContext& context_;
  std::string stream_dir_, tmp_dir_, meta_dir_, run_prefix_;
  std::optional<arrow::Schema> schema_;
  std::uint64_t next_file_ = 0;
  OutputFile file_;
  std::string file_name_;
  std::unique_ptr<Sink> sink_;
  std::unique_ptr<FormatWriter> writer_;
  std::vector<std::string> pending_;  // closed in _tmp, to be published by the next commit
};

/// Whether `name` is a data file dest-files wrote (<run>-<partition>-<n>.<ext>), and its run.
std::optional<std::string> RunOfFileName(const std::string& name);

}  // namespace rapidbyte::files
