#include <gtest/gtest.h>

#include "load/snapshot.h"

namespace fortress {
namespace {

TEST(LooksLikeRegion, AcceptsRegionNamesOfEveryPartition) {
  for (const char* name : {"us-east-1", "us-west-2", "eu-central-2", "ap-southeast-4", "ap-northeast-3",
                           "sa-east-1", "ca-west-1", "me-central-1", "af-south-1", "il-central-1", "mx-central-1",
                           "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1", "us-iso-east-1",
                           "us-isob-east-1", "us-isof-south-1", "eu-isoe-west-1", "eusc-de-east-1"}) {
    EXPECT_TRUE(looks_like_region(name)) << name;
  }
}

TEST(LooksLikeRegion, RejectsOtherNames) {
  for (const char* name : {"", "us-east", "foo-east-1", "us-east-1a", "us-east-01", "us-east-1-", "-us-east-1",
                           "US-EAST-1", "us-up-1", "us-gov-1", "ec2", "global", "us_east_1", "us-east-x",
                           "us-foo-east-1", "eusc-deu-east-1", "us-east-1.json"}) {
    EXPECT_FALSE(looks_like_region(name)) << name;
  }
}

}  // namespace
}  // namespace fortress
