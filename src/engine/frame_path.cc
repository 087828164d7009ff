// Frame checks, sequence numbers and channel compression (SPEC §5.3, §5.4).
#include "engine/frame_path.h"

#include <chrono>
#include <cstring>

#include "arrow/ipc/reader.h"
#include "plugin/host_error.h"

namespace rapidbyte::engine {
namespace {

// The trailer the host appends to a queued frame. Never seen by connectors.
struct Trailer {
  std::uint64_t seq;
  std::uint64_t src_seq;
  std::uint64_t rows;
  std::uint64_t plain_bytes;  // the uncompressed IPC length
  std::uint32_t compressed;   // 1 when the body is compressed
  std::uint32_t magic;
};
constexpr std::uint32_t kMagic = 0x54464252;  // "RBFT"
static_assert(sizeof(Trailer) <= plugin::kFrameTrailerReserve);

std::uint64_t NanosSince(std::chrono::steady_clock::time_point start) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now() - start)
                                        .count());
}

Status Invalid(std::string_view code, std::string message) {
  return plugin::HostError(StatusCode::kInvalidArgument, protocol::ErrorCategory::kInternal, code,
                           std::move(message));
}

}  // namespace

FramePath::FramePath(Codec codec, std::size_t capacity,
                     std::shared_ptr<plugin::CancellationToken> cancel)
    : codec_(codec), channel_(capacity, std::move(cancel)) {}

Status FramePath::OnEmit(plugin::Frame* frame, std::uint64_t src_seq, FrameInfo* info) {
  auto summary = arrow::ipc::InspectStream({frame->data(), frame->size()});
  if (!summary.ok()) return Invalid("INVALID_IPC", "invalid Arrow IPC frame: " + summary.status().message());
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!schema_) {
      schema_ = summary->schema;
    } else if (!(*schema_ == *summary->schema)) {
      return Invalid("SCHEMA_MISMATCH", "frame " + std::to_string(next_seq_) +
                                            " has a schema different from the stream's first frame");
    }
    info->seq = next_seq_++;
  }
  info->src_seq = src_seq == kOwnSeq ? info->seq : src_seq;
  info->rows = static_cast<std::uint64_t>(summary->num_rows);
  info->bytes = frame->size();

  Trailer trailer{info->seq, info->src_seq, info->rows, info->bytes, 0, kMagic};
  if (codec_ != Codec::kNone) {
    const auto start = std::chrono::steady_clock::now();
    auto packed = Compress(codec_, {frame->data(), frame->size()});
    if (!packed.ok()) return Invalid("COMPRESSION_FAILED", packed.status().message());
    stats_.compress_ns += NanosSince(start);
    stats_.compressed_bytes += packed->size();
    packed->reserve(packed->size() + sizeof(Trailer));
    *frame = std::move(*packed);
    trailer.compressed = 1;
  }
  const std::size_t at = frame->size();
  frame->resize(at + sizeof(Trailer));
  std::memcpy(frame->data() + at, &trailer, sizeof(Trailer));
  stats_.frames++;
  stats_.rows += info->rows;
  stats_.bytes += info->bytes;
  return Status::OK();
}

Status FramePath::OnReceive(plugin::Frame* frame, FrameInfo* info) {
  Trailer trailer{};
  if (frame->size() < sizeof(Trailer)) {
    return Invalid("DECOMPRESSION_FAILED", "queued frame lost its trailer");
  }
  std::memcpy(&trailer, frame->data() + frame->size() - sizeof(Trailer), sizeof(Trailer));
  if (trailer.magic != kMagic) return Invalid("DECOMPRESSION_FAILED", "queued frame lost its trailer");
  frame->resize(frame->size() - sizeof(Trailer));
  if (trailer.compressed != 0) {
    const auto start = std::chrono::steady_clock::now();
    auto plain = Decompress(codec_, {frame->data(), frame->size()}, trailer.plain_bytes);
    if (!plain.ok()) {
      return Invalid("DECOMPRESSION_FAILED", "frame " + std::to_string(trailer.seq) +
                                                 " failed to decompress: " + plain.status().message());
    }
    if (plain->size() != trailer.plain_bytes) {
      return Invalid("DECOMPRESSION_FAILED",
                     "frame " + std::to_string(trailer.seq) + " decompressed to " +
                         std::to_string(plain->size()) + " bytes, expected " +
                         std::to_string(trailer.plain_bytes));
    }
    stats_.decompress_ns += NanosSince(start);
    *frame = std::move(*plain);
  }
  info->seq = trailer.seq;
  info->src_seq = trailer.src_seq;
  info->rows = trailer.rows;
  info->bytes = trailer.plain_bytes;
  return Status::OK();
}

}  // namespace rapidbyte::engine
