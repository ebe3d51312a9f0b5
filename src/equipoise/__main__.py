from equipoise.outputs.cli import main

main()
