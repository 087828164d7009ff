// Where dest-files keeps a stream's files (SPEC §16.2, §16.4): the storage half of
// FilesTarget's exactly-once protocol, for a local directory and for S3. A file is written
// invisibly (local: in <stream>/_tmp; S3: an open multipart upload) and sealed; the commit
// record, replaced atomically, names what a commit publishes (each sealed file's entry); then
// the files are published (local: renamed into place; S3: the upload is completed). Recover
// finishes what a record names and removes every other leftover. See
// docs/connectors/dest-files.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "connectors/files/files_config.h"
#include "protocol/json.h"
#include "sdk/outcome.h"

namespace rapidbyte::files {

/// One data file being written, invisible until its store publishes it.
class StoredFile {
 public:
  virtual ~StoredFile() = default;
  virtual sdk::Outcome<void> Write(std::span<const std::uint8_t> bytes) = 0;
  /// Make the written bytes durable, still invisible. Returns the file's entry for the
  /// commit record (what Publish and Recover need to make it visible).
  virtual sdk::Outcome<protocol::Json> Seal() = 0;
  /// Drop an unsealed file (after a failure); never fails.
  virtual void Discard() = 0;
};

class FileStore {
 public:
  virtual ~FileStore() = default;
  /// The store of `config` (local directory or S3).
  static sdk::Outcome<std::unique_ptr<FileStore>> Make(const FilesConfig& config);

  /// Prepare the stream's place (`stream` is a safe single path component).
  virtual sdk::Outcome<void> Start(const std::string& stream) = 0;
  /// The commit record's text, or nullopt when there is none.
  virtual sdk::Outcome<std::optional<std::string>> ReadRecord() = 0;
  /// Replace the commit record atomically.
  virtual sdk::Outcome<void> ReplaceRecord(const std::string& text) = 0;
  /// A new invisible data file.
  virtual sdk::Outcome<std::unique_ptr<StoredFile>> Create(const std::string& name) = 0;
  /// Make the sealed files of `entries` (a JSON array of Seal() answers) visible.
  virtual sdk::Outcome<void> Publish(const protocol::Json& entries) = 0;
  /// The next run: publish what `entries` names and is not yet visible, remove every other
  /// invisible leftover.
  virtual sdk::Outcome<void> Recover(const protocol::Json& entries) = 0;
  /// Drop a sealed file that no commit record names; never fails.
  virtual void DiscardSealed(const protocol::Json& entry) = 0;
  /// Delete the visible data files of every run but `keep_run`.
  virtual sdk::Outcome<void> RemoveOtherRuns(const std::string& keep_run) = 0;
  /// Where the stream's files go, for messages.
  virtual std::string Describe() const = 0;
};

/// The file name of a commit-record entry (a string, or an object's "name").
std::optional<std::string> EntryName(const protocol::Json& entry);

}  // namespace rapidbyte::files
