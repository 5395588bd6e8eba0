"""The lab: pages that replay gradient descent in a browser (being written)."""
