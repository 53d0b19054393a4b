#include "util/intern.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fortress {
namespace {

TEST(Intern, EqualTextsShareOneCopy) {
  std::string a = "sg-0123456789abcdef0";
  std::string b = "sg-0123456789abcdef0";
  std::string_view x = intern(a);
  std::string_view y = intern(b);
  EXPECT_EQ(x, a);
  EXPECT_EQ(x.data(), y.data());
  EXPECT_NE(x.data(), a.data()) << "the pool owns its copy";
  EXPECT_NE(intern("sg-0123456789abcdef1").data(), x.data());
}

TEST(Intern, EmptyTextIsEmpty) {
  EXPECT_TRUE(intern("").empty());
  EXPECT_TRUE(Symbol().empty());
  EXPECT_EQ(Symbol(""), Symbol());
}

TEST(Intern, SurvivesTheTemporaryItWasMadeFrom) {
  Symbol s;
  {
    std::string temporary = "vpc-" + std::string(17, 'a');
    s = temporary;
    temporary.assign(temporary.size(), 'x');
  }
  EXPECT_EQ(s, "vpc-" + std::string(17, 'a'));
}

TEST(Intern, ManyTextsOfEverySizeStayDistinctAndStable) {
  // Enough texts to grow every shard's table several times and fill many blocks, including texts
  // larger than a quarter block (stored apart) and texts that differ only in their last byte.
  std::vector<std::string> texts;
  for (int i = 0; i < 60000; ++i) texts.push_back(fmt::format("eni-{:017x}", i));
  texts.push_back(std::string(40000, 'L'));
  texts.push_back(std::string(40000, 'L') + "!");
  std::vector<std::string_view> first;
  for (const std::string& t : texts) first.push_back(intern(t));
  std::set<const char*> distinct;
  for (size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(first[i], texts[i]);
    ASSERT_EQ(intern(texts[i]).data(), first[i].data()) << texts[i];
    distinct.insert(first[i].data());
  }
  EXPECT_EQ(distinct.size(), texts.size());
}

TEST(Intern, ThreadsInterningTheSameTextsAgree) {
  constexpr int kTexts = 20000;
  std::vector<std::vector<std::string_view>> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&seen, t] {
      for (int i = 0; i < kTexts; ++i) seen[t].push_back(intern(fmt::format("subnet-{:017x}", i * 7)));
    });
  }
  for (std::thread& t : threads) t.join();
  for (size_t t = 1; t < seen.size(); ++t) {
    for (int i = 0; i < kTexts; ++i) ASSERT_EQ(seen[t][i].data(), seen[0][i].data());
  }
}

TEST(Symbol, ComparesPrintsAndConcatenatesLikeAString) {
  Symbol id = std::string("sg-1");
  EXPECT_EQ(id, "sg-1");
  EXPECT_EQ(id, std::string("sg-1"));
  EXPECT_EQ(id, std::string_view("sg-1"));
  EXPECT_LT(Symbol("sg-1"), Symbol("sg-2"));
  EXPECT_EQ("group " + id, "group sg-1");
  EXPECT_EQ(std::string("group ") + id, "group sg-1");
  EXPECT_EQ(id + " (default)", "sg-1 (default)");
  EXPECT_EQ(fmt::format("[{:>6}]", id), "[  sg-1]");
  std::ostringstream out;
  out << id;
  EXPECT_EQ(out.str(), "sg-1");
}

}  // namespace
}  // namespace fortress
