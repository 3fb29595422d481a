from enum import StrEnum


class MyLearningError(StrEnum):
    NOT_A_MEMBER = "mylearning_not_a_member"
    RULE_FORBIDDEN = "point_rule_forbidden"
    RULE_INVALID = "point_rule_invalid"
    RULE_NOT_FOUND = "point_rule_not_found"
    RANKING_CLOSED = "points_ranking_closed"
