"""考学: the question bank, papers, timed exams graded on the server, and the daily practice quiz."""
