"""Terraform HCL: a fast reader for the common shapes, tree-sitter for the rest."""
