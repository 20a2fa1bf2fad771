dcf_state = "disabled"
users = ["All", "ab2c7c5f-0f49-4f54-8e1a-3d6a8b4b7c31"]
# a comment
/* block */
other = { a = 1, b = [true, null] }
