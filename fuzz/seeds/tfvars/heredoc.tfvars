dcf_state = <<EOT
enabled
EOT
users = concat(["All"], var.extra)
