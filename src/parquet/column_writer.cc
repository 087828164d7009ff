// Data pages v1: [repetition levels][definition levels] (each RLE with a 4-byte length) then
// the values, PLAIN or RLE_DICTIONARY (a bit-width byte and the hybrid-encoded indices),
// compressed as a whole. Pages end on row boundaries so readers never split a list.
#include "parquet/column_writer.h"

#include <algorithm>

#include "parquet/rle.h"

namespace rapidbyte::parquet {
namespace {

// Values a dictionary sees before it may judge its column mostly distinct.
constexpr std::size_t kDistinctCheckValues = 4096;

}  // namespace

ColumnWriter::ColumnWriter(const ColumnDescriptor& col, const WriterOptions& options,
                           PageCompressor* compressor, PageBuffers* buffers)
    : col_(col), options_(options), compressor_(compressor), dict_(col.type),
      stats_(col.order), buffers_(buffers) {
  ResetChunk();
}

void ColumnWriter::ResetChunk() {
  // A column whose dictionary outgrew its limit in one row group stays PLAIN in the next:
  // rebuilding a dictionary of distinct values per row group only costs time and memory.
  dict_active_ = options_.dictionary && col_.type != PhysicalType::kBoolean && !fell_back_;
  fallback_pending_ = false;
  dict_.Clear();
  dict_values_ = 0;
  index_bits_ = 0;
  pages_.clear();
  uncompressed_bytes_ = 0;
  num_values_ = 0;
  has_plain_pages_ = false;
  has_dict_pages_ = false;
  stats_.Reset();
}

// Pages, and the switch to PLAIN, happen at row boundaries so no row spans two encodings.
Status ColumnWriter::TurnPage() {
  RB_RETURN_NOT_OK(ClosePage());
  if (fallback_pending_) {
    dict_active_ = fallback_pending_ = false;
    fell_back_ = true;
    // Only the dictionary's PLAIN bytes are still needed (its page is written with the
    // chunk); the index of a high-cardinality column is most of the writer's memory.
    dict_.ReleaseIndex();
  }
  return Status::OK();
}

Status ColumnWriter::Add(uint32_t rep, uint32_t def, std::string_view value) {
  if (rep == 0) RB_RETURN_NOT_OK(StartRow());
  if (col_.max_rep > 0) rep_.push_back(rep);
  AddLevel(def);
  if (def == static_cast<uint32_t>(col_.max_def)) {
    AddValue(value);
  } else {
    stats_.AddNull();  // null values, null or empty lists: every entry without a value
  }
  return Status::OK();
}

void ColumnWriter::AddValue(std::string_view value) {
  stats_.Update(value);
  if (dict_active_) {
    AddToDictionary(value);
  } else {
    AppendPlain(value, &plain_);
  }
}

void ColumnWriter::AddToDictionary(std::string_view value) {
  bool added = false;
  const uint32_t index = dict_.Insert(value, &added);
  if (added) {
    index_bits_ = static_cast<std::size_t>(BitWidth(dict_.size()));
    // Past the limit, or when most values are distinct (ids, uuids, timestamps: the
    // dictionary would only add its indices to PLAIN's bytes and cost its index's memory),
    // the rest of the chunk is PLAIN from the next row on.
    fallback_pending_ =
        static_cast<int64_t>(dict_.plain().size()) > options_.dictionary_page_limit ||
        (dict_.size() >= kDistinctCheckValues && dict_.size() * 2 > dict_values_ + 1);
  }
  ++dict_values_;
  indices_.push_back(index);
}

void ColumnWriter::AppendPlain(std::string_view value, std::string* out) const {
  if (col_.type == PhysicalType::kByteArray) {
    const auto n = static_cast<uint32_t>(value.size());
    out->append(reinterpret_cast<const char*>(&n), 4);  // little-endian (x86-64, wasm32)
  }
  out->append(value);
}

// What the chunk holds in memory: its pages, the dictionary and its index, and the open
// page. The writer flushes a row group when the
// columns' sum reaches row_group_bytes, so this is what bounds its memory.
int64_t ColumnWriter::BufferedBytes() const {
  // Capacities, not sizes: appending doubles a string's allocation.
  return static_cast<int64_t>(pages_.capacity() + dict_.MemoryBytes()) + OpenPageBytes();
}

void ColumnWriter::EncodePageValues(std::string* body, bool dictionary) const {
  if (dictionary) {
    const int width = std::max(1, BitWidth(dict_.size() - 1));
    body->push_back(static_cast<char>(width));
    EncodeRleHybrid(indices_, width, body);
  } else if (col_.type == PhysicalType::kBoolean) {
    PackBits({reinterpret_cast<const uint8_t*>(plain_.data()), plain_.size()}, body);
  } else {
    body->append(plain_);
  }
}

Status ColumnWriter::ClosePage() {
  if (page_values_ == 0) return Status::OK();
  buffers_->body.clear();
  if (col_.max_rep > 0) EncodeLevels(rep_, col_.max_rep, &buffers_->body);
  if (col_.max_def > 0) EncodeLevels(def_, col_.max_def, &buffers_->body);
  const bool dictionary = dict_active_ && dict_.size() != 0;
  EncodePageValues(&buffers_->body, dictionary);
  (dictionary ? has_dict_pages_ : has_plain_pages_) = true;
  PageHeader header{.type = PageType::kDataPage,
                    .num_values = static_cast<int32_t>(page_values_),
                    .encoding = dictionary ? Encoding::kRleDictionary : Encoding::kPlain};
  num_values_ += static_cast<int64_t>(page_values_);
  page_values_ = 0;
  rep_.clear();
  def_.clear();
  plain_.clear();
  indices_.clear();
  return AppendPage(header, &pages_);
}

// Compress the page body and append header + compressed body to `*pages`.
Status ColumnWriter::AppendPage(PageHeader header, std::string* pages) {
  const std::string& body = buffers_->body;
  if (body.size() > INT32_MAX) return Status::InvalidArgument("Parquet page exceeds 2 GiB");
  RB_RETURN_NOT_OK(compressor_->Compress(
      {reinterpret_cast<const uint8_t*>(body.data()), body.size()}, &buffers_->compressed));
  header.uncompressed_page_size = static_cast<int32_t>(buffers_->body.size());
  header.compressed_page_size = static_cast<int32_t>(buffers_->compressed.size());
  const std::size_t header_at = pages->size();
  SerializePageHeader(header, pages);
  uncompressed_bytes_ += static_cast<int64_t>(pages->size() - header_at + buffers_->body.size());
  pages->append(buffers_->compressed);
  return Status::OK();
}

std::vector<Encoding> ColumnWriter::ChunkEncodings(bool has_dictionary) const {
  std::vector<Encoding> out;
  if (has_dictionary || has_plain_pages_) out.push_back(Encoding::kPlain);
  if (col_.max_def > 0 || col_.max_rep > 0) out.push_back(Encoding::kRle);
  if (has_dict_pages_) out.push_back(Encoding::kRleDictionary);
  return out;
}

Result<ColumnChunk> ColumnWriter::Flush(int64_t file_offset, ParquetSink* sink) {
  RB_RETURN_NOT_OK(ClosePage());
  ColumnMetaData meta{.type = col_.type, .path_in_schema = col_.path, .codec = compressor_->codec(),
                      .num_values = num_values_, .data_page_offset = file_offset,
                      .statistics = stats_.Get()};
  std::string dict_page;
  if (has_dict_pages_) {
    buffers_->body = dict_.plain();
    RB_RETURN_NOT_OK(AppendPage({.type = PageType::kDictionaryPage,
                                 .num_values = static_cast<int32_t>(dict_.size())},
                                &dict_page));
    meta.dictionary_page_offset = file_offset;
    meta.data_page_offset = file_offset + static_cast<int64_t>(dict_page.size());
  }
  meta.encodings = ChunkEncodings(has_dict_pages_);
  meta.total_uncompressed_size = uncompressed_bytes_;
  meta.total_compressed_size = static_cast<int64_t>(dict_page.size() + pages_.size());
  RB_RETURN_NOT_OK(sink->Append({reinterpret_cast<const uint8_t*>(dict_page.data()), dict_page.size()}));
  RB_RETURN_NOT_OK(sink->Append({reinterpret_cast<const uint8_t*>(pages_.data()), pages_.size()}));
  ColumnChunk chunk{.file_offset = file_offset, .meta_data = std::move(meta)};
  ResetChunk();
  return chunk;
}

}  // namespace rapidbyte::parquet
