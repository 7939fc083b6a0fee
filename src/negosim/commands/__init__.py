"""The sub-commands of ``negosim`` that live in their own module (parser and handler)."""
