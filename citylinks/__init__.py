"""citylinks: sectors and partner cities in news about Hanoi's international cooperation."""
