// Fuzz target: the Arrow IPC stream reader. Any input must be rejected with a Status or
// accepted; an accepted stream must be safe to read entirely (every value of every column,
// at both validation levels). Never a crash, leak or hang.
#include <cstddef>
#include <cstdint>
#include <span>

#include "arrow/ipc/reader.h"
#include "arrow/ipc/test_batches.h"

namespace {

void TouchEverything(const rapidbyte::arrow::ipc::StreamContents& contents) {
  std::size_t total = 0;
  for (const auto& batch : contents.batches) {
    for (const auto& cell : rapidbyte::arrow::ipc::testing::BatchCells(batch)) {
      total += cell.size();
    }
    // Slicing and re-reading slices must be safe too.
    for (const auto& cell :
         rapidbyte::arrow::ipc::testing::BatchCells(batch.Slice(1, batch.num_rows() / 2))) {
      total += cell.size();
    }
  }
  (void)total;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ipc = rapidbyte::arrow::ipc;
  const std::span<const std::uint8_t> bytes(data, size);
  (void)ipc::InspectStream(bytes);
  for (auto level : {ipc::Validation::kStructural, ipc::Validation::kFull}) {
    auto contents = ipc::ReadStream(bytes, ipc::ReadOptions{level});
    if (contents.ok()) TouchEverything(*contents);
  }
  return 0;
}
