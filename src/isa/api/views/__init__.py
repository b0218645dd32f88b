"""The API's operations (one router per subject, thin over the lower apps' services and
access helpers) and the pages of the personal tokens."""
