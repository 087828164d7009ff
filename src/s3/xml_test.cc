#include "s3/xml.h"

#include <gtest/gtest.h>

namespace rapidbyte::s3 {
namespace {

TEST(XmlTest, TextOfElements) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Bucket>b</Bucket><Key>a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x263A;</Key>"
      "<UploadId>VXBsb2FkIElE</UploadId><Empty/><Empty2></Empty2>"
      "</InitiateMultipartUploadResult>";
  EXPECT_EQ(XmlText(xml, "UploadId"), "VXBsb2FkIElE");
  EXPECT_EQ(XmlText(xml, "Key"), "a&b <c> \"d\" 'e' \xC3\xA9\xE2\x98\xBA");
  EXPECT_EQ(XmlText(xml, "Empty"), "");
  EXPECT_EQ(XmlText(xml, "Empty2"), "");
  EXPECT_EQ(XmlText(xml, "Missing"), std::nullopt);
  // A name is matched whole, not as a prefix.
  EXPECT_EQ(XmlText("<UploadIdMarker>x</UploadIdMarker><UploadId>y</UploadId>", "UploadId"), "y");
}

TEST(XmlTest, RepeatedElementsAndPagination) {
  const std::string xml =
      "<ListBucketResult><IsTruncated>true</IsTruncated>"
      "<Contents><Key>k1</Key><Size>10</Size><ETag>&quot;e1&quot;</ETag></Contents>"
      "<!-- <Contents><Key>commented</Key></Contents> -->"
      "<Contents><Key><![CDATA[k<2>]]></Key><Size>20</Size></Contents>"
      "<NextContinuationToken>tok/+=</NextContinuationToken></ListBucketResult>";
  const auto contents = XmlElements(xml, "Contents");
  ASSERT_EQ(contents.size(), 2u);
  EXPECT_EQ(XmlText(contents[0], "Key"), "k1");
  EXPECT_EQ(XmlText(contents[0], "ETag"), "\"e1\"");
  EXPECT_EQ(XmlText(contents[1], "Key"), "k<2>");
  EXPECT_EQ(XmlText(xml, "IsTruncated"), "true");
  EXPECT_EQ(XmlText(xml, "NextContinuationToken"), "tok/+=");
}

TEST(XmlTest, ErrorDocument) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>"
      "<Message>The specified bucket does not exist</Message>"
      "<BucketName>nope</BucketName></Error>";
  EXPECT_EQ(XmlText(xml, "Code"), "NoSuchBucket");
  EXPECT_EQ(XmlText(xml, "Message"), "The specified bucket does not exist");
}

TEST(XmlTest, MalformedInputIsNotFound) {
  EXPECT_EQ(XmlText("<Key>unterminated", "Key"), std::nullopt);
  EXPECT_EQ(XmlText("<Key", "Key"), std::nullopt);
  EXPECT_EQ(XmlText("<", "Key"), std::nullopt);
  EXPECT_EQ(XmlText("", "Key"), std::nullopt);
  EXPECT_EQ(XmlText("<!-- never closed <Key>x</Key>", "Key"), std::nullopt);
  EXPECT_TRUE(XmlElements("<A><B>1</B>", "B").size() == 1);
  EXPECT_TRUE(XmlElements("<B>1", "B").empty());
  // Unknown and broken references stay as written.
  EXPECT_EQ(XmlDecode("&bogus; &#xZZ; &#55296; & x"), "&bogus; &#xZZ; &#55296; & x");
}

TEST(XmlTest, Escape) { EXPECT_EQ(XmlEscape("\"a\"&<b>"), "\"a\"&amp;&lt;b&gt;"); }

}  // namespace
}  // namespace rapidbyte::s3
