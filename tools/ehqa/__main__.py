from ehqa.cli.app import main

main()
