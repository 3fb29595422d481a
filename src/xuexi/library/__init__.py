"""学习资料库 and 理论学习天天向上: the content library, its search, and each day's push to a subtree."""
