"""xuexi (学习): the platform for building learning-oriented party organizations."""
