from kmigrate.harness.cli import main

main()
