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
// Level entries per page: a page's levels and dictionary indices are held as 32-bit values
// until it closes, so a column of one-bit booleans or a tiny dictionary (a few bits per
// value on the page) would otherwise hold tens of megabytes before data_page_bytes.
constexpr std::size_t kMaxPageValues = 65536;

}  // namespace

ColumnWriter::ColumnWriter(const ColumnDescriptor& col, const WriterOptions& options,
                           PageCompressor* compressor, PageBuffers* buffers)
    : col_(col), options_(options), compressor_(compressor), stats_(col.order),
      buffers_(buffers) {
  ResetChunk();
}

void ColumnWriter::ResetChunk() {
  // A column whose dictionary outgrew its limit in one row group stays PLAIN in the next:
  // rebuilding a dictionary of distinct values per row group only costs time and memory.
  dict_active_ = options_.dictionary && col_.type != PhysicalType::kBoolean && !fell_back_;
  fallback_pending_ = false;
  dict_index_.clear();
  dict_size_ = 0;
  dict_values_ = 0;
  dict_plain_.clear();
  pages_.clear();
  uncompressed_bytes_ = 0;
  num_values_ = 0;
  has_plain_pages_ = false;
  has_dict_pages_ = false;
  stats_.Reset();
}

Status ColumnWriter::Add(uint32_t rep, uint32_t def, std::string_view value) {
  // Pages, and the switch to PLAIN, happen at row boundaries so no row spans two encodings.
  if (rep == 0 && (fallback_pending_ || OpenPageBytes() >= options_.data_page_bytes ||
                   def_.size() >= kMaxPageValues)) {
    RB_RETURN_NOT_OK(ClosePage());
    if (fallback_pending_) {
      dict_active_ = fallback_pending_ = false;
      fell_back_ = true;
      // Only the dictionary's PLAIN bytes are still needed (its page is written with the
      // chunk); the index of a high-cardinality column is most of the writer's memory.
      decltype(dict_index_)().swap(dict_index_);
    }
  }
  if (col_.max_rep > 0) rep_.push_back(rep);
  def_.push_back(def);  // kept even for required columns: it counts the page's values
  if (def == static_cast<uint32_t>(col_.max_def)) {
    AddValue(value);
  } else {
    stats_.AddNull();  // null values, null or empty lists: every entry without a value
  }
  return Status::OK();
}

void ColumnWriter::AddValue(std::string_view value) {
  stats_.Update(value);
  if (!dict_active_) {
    AppendPlain(value, &plain_);
    return;
  }
  auto it = dict_index_.find(value);
  if (it == dict_index_.end()) {
    AppendPlain(value, &dict_plain_);
    it = dict_index_.emplace(std::string(value), static_cast<uint32_t>(dict_size_++)).first;
    // Past the limit, or when most values are distinct (ids, uuids, timestamps: the
    // dictionary would only add its indices to PLAIN's bytes and cost its index's memory),
    // the rest of the chunk is PLAIN from the next row on.
    fallback_pending_ =
        static_cast<int64_t>(dict_plain_.size()) > options_.dictionary_page_limit ||
        (dict_size_ >= kDistinctCheckValues && dict_size_ * 2 > dict_values_ + 1);
  }
  ++dict_values_;
  indices_.push_back(it->second);
}

void ColumnWriter::AppendPlain(std::string_view value, std::string* out) const {
  if (col_.type == PhysicalType::kByteArray) {
    const auto n = static_cast<uint32_t>(value.size());
    for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  out->append(value);
}

int64_t ColumnWriter::OpenPageBytes() const {
  const int width = BitWidth(dict_size_);
  return static_cast<int64_t>(plain_.size() + indices_.size() * static_cast<std::size_t>(width) / 8 +
                              (rep_.size() + def_.size()) / 4);
}

// What the chunk holds in memory: its pages, the dictionary and its index (a hash node and
// the key per entry, estimated), and the open page. The writer flushes a row group when the
// columns' sum reaches row_group_bytes, so this is what bounds its memory.
int64_t ColumnWriter::BufferedBytes() const {
  constexpr std::size_t kIndexEntryBytes = 48;  // node, hash, key (short keys inline), bucket
  // Capacities, not sizes: appending doubles a string's allocation.
  return static_cast<int64_t>(pages_.capacity() + dict_plain_.capacity() +
                              dict_index_.size() * kIndexEntryBytes) +
         OpenPageBytes();
}

void ColumnWriter::EncodePageValues(std::string* body, bool dictionary) const {
  if (dictionary) {
    const int width = std::max(1, BitWidth(dict_size_ - 1));
    body->push_back(static_cast<char>(width));
    EncodeRleHybrid(indices_, width, body);
  } else if (col_.type == PhysicalType::kBoolean) {
    PackBits({reinterpret_cast<const uint8_t*>(plain_.data()), plain_.size()}, body);
  } else {
    body->append(plain_);
  }
}

Status ColumnWriter::ClosePage() {
  if (def_.empty()) return Status::OK();
  buffers_->body.clear();
  if (col_.max_rep > 0) EncodeLevels(rep_, col_.max_rep, &buffers_->body);
  if (col_.max_def > 0) EncodeLevels(def_, col_.max_def, &buffers_->body);
  const bool dictionary = dict_active_ && dict_size_ != 0;
  EncodePageValues(&buffers_->body, dictionary);
  (dictionary ? has_dict_pages_ : has_plain_pages_) = true;
  PageHeader header{.type = PageType::kDataPage,
                    .num_values = static_cast<int32_t>(def_.size()),
                    .encoding = dictionary ? Encoding::kRleDictionary : Encoding::kPlain};
  num_values_ += static_cast<int64_t>(def_.size());
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
    buffers_->body = dict_plain_;
    RB_RETURN_NOT_OK(AppendPage({.type = PageType::kDictionaryPage,
                                 .num_values = static_cast<int32_t>(dict_size_)},
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
