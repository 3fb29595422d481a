from enum import StrEnum


class AccountError(StrEnum):
    USERNAME_TAKEN = "account_username_taken"
    INVALID = "account_invalid"
    SEPARATION_OF_DUTIES = "account_separation_of_duties"  # 三员分立
    NOT_FOUND = "account_not_found"
    WRONG_PASSWORD = "account_wrong_password"
    WEAK_PASSWORD = "account_weak_password"
    TOKEN_INVALID = "account_token_invalid"
