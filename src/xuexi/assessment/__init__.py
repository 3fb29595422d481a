"""述学 考学 评学 奖惩: evaluations with democratic review, weighted scorecards, commendations and penalties."""
