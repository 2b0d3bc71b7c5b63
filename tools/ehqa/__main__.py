from ehqa.cli import main

main()
