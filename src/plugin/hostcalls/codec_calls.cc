// Host functions for compression (SPEC §16.3): rb_host_compress and rb_host_decompress run
// the host's codecs (codecs.h) at native speed over guest buffers. Every range is checked
// before any work; the output goes out in the out/cap/len_ptr convention (hc::CopyOut), so a
// guest whose buffer is too small learns the size and calls again. Decompression decodes
// into the host's own buffer, bounded by limits::kMaxUncompressedBytes, before anything
// reaches the guest.
#include "plugin/hostcalls/codec_calls.h"

#include "plugin/hostcalls/codecs.h"
#include "plugin/hostcalls/hostcall_util.h"
#include "plugin/limits.h"
#include "plugin/runtime/guest_thread.h"

using rapidbyte::plugin::GuestMemory;
using rapidbyte::plugin::HostContext;
using rapidbyte::plugin::runtime::HostCallScope;
namespace codecs = rapidbyte::plugin::codecs;
namespace hc = rapidbyte::plugin::hostcalls;
namespace limits = rapidbyte::plugin::limits;

namespace {

// One call's arguments as the guest passed them, and the call's name.
struct Request {
  const char* fn;
  std::string_view input;  // what the input is, for the size error
  std::uint32_t codec;
  std::uint32_t in_ptr;
  std::uint32_t in_len;
  std::uint32_t out_ptr;
  std::uint32_t out_cap;
  std::uint32_t len_ptr;
};

// The checks both calls make before any work: the codec, every range, the input's size and
// cancellation. The codec, or nullopt with what the call returns in *rc.
std::optional<codecs::Codec> Admit(HostContext& ctx, GuestMemory& memory, const Request& r,
                                   std::uint32_t* rc) {
  const auto codec = codecs::FromAbi(static_cast<std::int32_t>(r.codec));
  if (!codec) {
    *rc = hc::Fail(ctx, hc::Category::kInternal, "INVALID_CODEC",
                   std::string(r.fn) + ": codec " +
                       std::to_string(static_cast<std::int32_t>(r.codec)) +
                       " is not 1 (zstd), 2 (lz4), 3 (snappy) or 4 (gzip)");
  } else if (!memory.InBounds(r.in_ptr, r.in_len)) {
    *rc = hc::FailOutOfBounds(ctx, r.fn, r.in_ptr, r.in_len);
  } else if (!memory.InBounds(r.out_ptr, r.out_cap)) {
    *rc = hc::FailOutOfBounds(ctx, r.fn, r.out_ptr, r.out_cap);
  } else if (!memory.InBounds(r.len_ptr, 4)) {
    *rc = hc::FailOutOfBounds(ctx, r.fn, r.len_ptr, 4);
  } else if (r.in_len > limits::kMaxUncompressedBytes) {
    *rc = hc::Fail(ctx, hc::Category::kInternal, codecs::kTooLarge,
                   std::string(r.fn) + ": " + std::string(codecs::Name(*codec)) + ": " +
                       std::string(r.input) + " of " + std::to_string(r.in_len) +
                       " bytes exceeds the " + std::to_string(limits::kMaxUncompressedBytes >> 20) +
                       " MiB limit on uncompressed data");
  } else if (ctx.cancel && ctx.cancel->cancelled()) {
    *rc = hc::Code(RB_CANCELLED);
  } else {
    return codec;
  }
  return std::nullopt;
}

// The call's answer: the output in the out/cap/len_ptr convention (hc::CopyOut), or the codec's
// failure with its category and code and the call named, or RB_CANCELLED.
std::uint32_t Answer(HostContext& ctx, GuestMemory& memory, const Request& r,
                     const rapidbyte::Status& status, const codecs::Buffer& out) {
  if (status.ok())
    return hc::CopyOut(ctx, memory, r.fn, out.span(), r.out_ptr, r.out_cap, r.len_ptr);
  if (status.code() == rapidbyte::StatusCode::kCancelled) return hc::Code(RB_CANCELLED);
  return hc::FailStatus(
      ctx,
      rapidbyte::Status(status.code(), std::string(r.fn) + ": " + status.message())
          .WithDetail(status.detail()),
      hc::Category::kInternal, codecs::kCompressionFailed);
}

const std::atomic<bool>* CancelFlag(const HostContext& ctx) {
  return ctx.cancel ? ctx.cancel->flag() : nullptr;
}

}  // namespace

extern "C" {

std::uint32_t Z_rapidbyteZ_rb_host_compress(Z_rapidbyte_instance_t* instance, std::uint32_t codec,
                                            std::uint32_t level, std::uint32_t in_ptr,
                                            std::uint32_t in_len, std::uint32_t out_ptr,
                                            std::uint32_t out_cap, std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  GuestMemory memory(ctx.memory);
  const Request r{"rb_host_compress", "input", codec, in_ptr, in_len, out_ptr, out_cap, len_ptr};
  std::uint32_t rc = 0;
  const auto which = Admit(ctx, memory, r, &rc);
  if (!which) return rc;
  // To a compressor the input is opaque bytes, and the guest is paused: read it in place.
  // The output buffer is the thread's, kept between calls: a fresh megabyte per page is an
  // mmap, its page faults and an munmap (the engine maps blocks of 256 KiB and more directly).
  thread_local codecs::Buffer out;
  const rapidbyte::Status status =
      codecs::Compress(*which, static_cast<std::int32_t>(level), memory.Window(in_ptr, in_len),
                       &out, CancelFlag(ctx));
  const std::uint32_t answer = Answer(ctx, memory, r, status, out);
  // Keep up to what a page or a text chunk needs; a rare large call gives its memory back.
  constexpr std::int64_t kKeptBytes = std::int64_t{4} << 20;
  if (out.capacity() > kKeptBytes) out = codecs::Buffer();
  return answer;
}

std::uint32_t Z_rapidbyteZ_rb_host_decompress(Z_rapidbyte_instance_t* instance, std::uint32_t codec,
                                              std::uint32_t in_ptr, std::uint32_t in_len,
                                              std::uint32_t out_ptr, std::uint32_t out_cap,
                                              std::uint32_t len_ptr) noexcept {
  HostCallScope scope;
  HostContext& ctx = hc::Ctx(instance);
  GuestMemory memory(ctx.memory);
  const Request r{
      "rb_host_decompress", "compressed input", codec, in_ptr, in_len, out_ptr, out_cap, len_ptr};
  std::uint32_t rc = 0;
  const auto which = Admit(ctx, memory, r, &rc);
  if (!which) return rc;
  // Decoders parse their input: copy it out first, so what is checked stays what is read.
  codecs::Buffer input;
  if (!input.Resize(in_len).ok() || !memory.Read(in_ptr, in_len, input.data())) {
    return hc::Fail(ctx, hc::Category::kInternal, codecs::kDecompressionFailed,
                    std::string(r.fn) + ": out of memory for the compressed input");
  }
  codecs::Buffer out;
  const rapidbyte::Status status = codecs::Decompress(
      *which, input.span(), limits::kMaxUncompressedBytes, &out, CancelFlag(ctx));
  return Answer(ctx, memory, r, status, out);
}

}  // extern "C"
